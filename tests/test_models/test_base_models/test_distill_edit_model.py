import copy

import torch
from mmagic.registry import MODELS
from mmagic.structures import DataSample
from mmengine.registry import DefaultScope
from torch import nn

import mmderain  # noqa: F401


class _Net(nn.Module):

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 3, 3, padding=1)

    def forward(self, x):
        return x + self.conv(x)


def _model(distill=True):
    MODELS.register_module(name='DistillTestNet', module=_Net, force=True)
    with DefaultScope.overwrite_default_scope('mmagic'):
        return _build(distill)


def _build(distill):
    return MODELS.build(
        dict(
            type='DistillEditModel',
            generator=dict(type='DistillTestNet'),
            pixel_loss=dict(type='L1Loss'),
            distill_loss=dict(
                type='DistillationLoss',
                loss_weight=0.8,
                criterion=dict(type='L1Loss')) if distill else None,
            data_preprocessor=dict(
                type='DataPreprocessor',
                mean=[0., 0., 0.],
                std=[255., 255., 255.])))


def _batch(model):
    torch.manual_seed(0)
    samples = [
        DataSample(gt_img=torch.randint(0, 255, (3, 8, 8)).float())
        for _ in range(2)
    ]
    inputs = [torch.randint(0, 255, (3, 8, 8)).float() for _ in range(2)]
    return model.data_preprocessor(
        dict(inputs=inputs, data_samples=samples), training=True)


def test_loss_terms_and_teacher_handling():
    model = _model()
    data = _batch(model)
    assert set(model(**data, mode='loss')) == {'loss_pix'}

    teacher = copy.deepcopy(model.generator).requires_grad_(False).eval()
    model.set_teacher(teacher)
    losses = model(**data, mode='loss')
    assert set(losses) == {'loss_pix', 'loss_distill'}
    # The student equals its snapshot: nothing to distill yet.
    assert losses['loss_distill'].item() == 0

    # The teacher stays outside the module tree.
    assert not any(k.startswith('_teacher') or k.startswith('teacher')
                   for k in model.state_dict())
    assert len(list(model.parameters())) == 2
    model.train()
    assert model.teacher is teacher and not teacher.training

    with torch.no_grad():
        model.generator.conv.weight.add_(0.1)
    losses = model(**data, mode='loss')
    assert losses['loss_distill'].item() > 0
    sum(losses.values()).backward()
    assert model.generator.conv.weight.grad is not None
    assert teacher.conv.weight.grad is None


def test_no_distill_loss_ignores_teacher():
    model = _model(distill=False)
    model.set_teacher(copy.deepcopy(model.generator))
    assert set(model(**_batch(model), mode='loss')) == {'loss_pix'}
