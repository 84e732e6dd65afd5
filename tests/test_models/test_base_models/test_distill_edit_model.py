import copy

import pytest
import torch
from mmagic.registry import MODELS
from mmagic.structures import DataSample
from mmengine.optim import OptimWrapper
from mmengine.registry import DefaultScope
from torch import nn

import mmderain  # noqa: F401
from mmderain.models import DistillationTerm, QuadraticPenaltyTerm


class _Net(nn.Module):

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 3, 3, padding=1)

    def forward(self, x):
        return x + self.conv(x)


_PREPROCESSOR = dict(
    type='DataPreprocessor', mean=[0., 0., 0.], std=[255., 255., 255.])


def _model(model_type='DistillEditModel', generator=None, **kwargs):
    MODELS.register_module(name='DistillTestNet', module=_Net, force=True)
    with DefaultScope.overwrite_default_scope('mmagic'):
        return MODELS.build(
            dict(
                type=model_type,
                generator=generator or dict(type='DistillTestNet'),
                pixel_loss=dict(type='L1Loss'),
                data_preprocessor=_PREPROCESSOR,
                **kwargs))


def _batch(model, seed=0, size=8):
    torch.manual_seed(seed)
    samples = [
        DataSample(gt_img=torch.randint(0, 255, (3, size, size)).float())
        for _ in range(2)
    ]
    inputs = [
        torch.randint(0, 255, (3, size, size)).float() for _ in range(2)
    ]
    return model.data_preprocessor(
        dict(inputs=inputs, data_samples=samples), training=True)


def _distillation(model):
    teacher = copy.deepcopy(model.generator).requires_grad_(False).eval()
    with DefaultScope.overwrite_default_scope('mmagic'):
        loss = MODELS.build(
            dict(
                type='DistillationLoss',
                loss_weight=0.8,
                criterion=dict(type='L1Loss')))
    return teacher, DistillationTerm(teacher, loss)


def test_distillation_term_and_teacher_outside_the_module_tree():
    model = _model()
    data = _batch(model)
    assert set(model(**data, mode='loss')) == {'loss_pix'}

    teacher, term = _distillation(model)
    model.set_loss_term('loss_distill', term)
    losses = model(**data, mode='loss')
    assert list(losses) == ['loss_pix', 'loss_distill']
    # The student equals its snapshot: nothing to distill yet.
    assert losses['loss_distill'].item() == 0

    # The term and its teacher stay outside the module tree.
    assert set(model.state_dict()) == {
        'generator.conv.weight', 'generator.conv.bias'
    }
    assert len(list(model.parameters())) == 2
    model.train()
    assert model.loss_terms['loss_distill'] is term and not teacher.training

    with torch.no_grad():
        model.generator.conv.weight.add_(0.1)
    losses = model(**data, mode='loss')
    # Eq. 7: lambda * L(f(x), f_old(x)) on the same inputs.
    expected = 0.8 * (model.generator(data['inputs']) -
                      teacher(data['inputs'])).abs().mean()
    assert losses['loss_distill'].item() == pytest.approx(expected.item())
    sum(losses.values()).backward()
    assert model.generator.conv.weight.grad is not None
    assert teacher.conv.weight.grad is None

    model.remove_loss_term('loss_distill')
    model.remove_loss_term('loss_distill')
    assert set(model(**data, mode='loss')) == {'loss_pix'}


def test_every_term_is_logged_and_trained_under_its_name():
    model = _model()
    data = _batch(model)
    weight = model.generator.conv.weight
    anchor = weight.detach().clone() + 0.5
    penalty = QuadraticPenaltyTerm(
        [(weight, torch.full_like(weight, 2.0), anchor)], weight=3.0)
    model.set_loss_term('loss_ewc', penalty)
    losses = model(**data, mode='loss')
    # 3 * sum 2 (theta - theta*)^2 with theta - theta* = -0.5.
    assert losses['loss_ewc'].item() == pytest.approx(
        3.0 * 2.0 * 0.25 * weight.numel())
    total, log_vars = model.parse_losses(losses)
    assert total.item() == pytest.approx(
        (losses['loss_pix'] + losses['loss_ewc']).item())
    assert set(log_vars) == {'loss', 'loss_pix', 'loss_ewc'}


@pytest.mark.parametrize('name, term, error, match', [
    ('penalty', lambda i, f: f.sum(), ValueError, "must contain 'loss'"),
    ('loss_pix', lambda i, f: f.sum(), ValueError, 'pixel loss'),
    ('loss_x', 1.0, TypeError, 'callable'),
])
def test_bad_terms_fail_clearly(name, term, error, match):
    with pytest.raises(error, match=match):
        _model().set_loss_term(name, term)


def test_old_distill_loss_argument_names_its_new_place():
    with pytest.raises(
            TypeError,
            match=r'moved to TeacherSnapshotHook\(distill_loss=\.\.\.\)'):
        _model(distill_loss=dict(type='DistillationLoss',
                                 criterion=dict(type='L1Loss')))


def test_penalty_term_checks_shapes_and_needs_a_parameter():
    param = nn.Parameter(torch.zeros(2, 3))
    with pytest.raises(ValueError, match=r'importance .* has shape \(3,\)'):
        QuadraticPenaltyTerm([(param, torch.ones(3), torch.zeros(2, 3))], 1.)
    with pytest.raises(ValueError, match='at least one'):
        QuadraticPenaltyTerm([], 1.0)


def _train(model, steps=3):
    wrapper = OptimWrapper(torch.optim.Adam(model.parameters(), lr=1e-2))
    losses = []
    for step in range(steps):
        batch = dict(
            inputs=[
                torch.randint(0, 255, (3, 16, 16),
                              generator=torch.Generator().manual_seed(step))
                .float() for _ in range(2)
            ],
            data_samples=[
                DataSample(gt_img=torch.randint(
                    0, 255, (3, 16, 16),
                    generator=torch.Generator().manual_seed(100 + step))
                           .float()) for _ in range(2)
            ])
        losses.append(model.train_step(batch, wrapper)['loss'])
    return losses


def test_without_terms_trains_as_base_edit_model_bit_for_bit():
    prenet = dict(
        type='PReNet', num_stages=2, mid_channels=4, num_blocks=1)
    torch.manual_seed(0)
    ours = _model(generator=prenet)
    base = _model('BaseEditModel', generator=prenet)
    base.load_state_dict(ours.state_dict())
    initial = ours.generator.conv_in.weight.detach().clone()
    ours_losses, base_losses = _train(ours), _train(base)
    assert [float(x.detach()) for x in ours_losses
            ] == [float(x.detach()) for x in base_losses]
    for (name, a), b in zip(ours.state_dict().items(),
                            base.state_dict().values()):
        assert torch.equal(a, b), name
    assert not torch.equal(ours.generator.conv_in.weight, initial)
