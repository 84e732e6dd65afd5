import pytest
import torch
from nr_toys import NRToyNet
from torch import nn

from mmderain.engine.hooks import TeacherSnapshotHook
from mmderain.models import DistillationLoss, DistillationTerm


class _Model(nn.Module):

    def __init__(self):
        super().__init__()
        self.generator = NRToyNet()
        self.terms = {}

    def set_loss_term(self, name, term):
        self.terms[name] = term

    def remove_loss_term(self, name):
        self.terms.pop(name, None)


class _Runner:

    def __init__(self):
        self.model = _Model()


def _hook():
    return TeacherSnapshotHook(
        distill_loss=dict(
            type='DistillationLoss', loss_weight=0.5,
            criterion=dict(type='L1Loss')))


def test_snapshot_per_task_and_checkpoint_round_trip():
    runner, hook = _Runner(), _hook()
    assert isinstance(hook.distill_loss, DistillationLoss)
    hook.before_task(runner, 0)
    assert runner.model.terms == {}

    hook.before_task(runner, 1)
    term = runner.model.terms['loss_distill']
    assert isinstance(term, DistillationTerm)
    teacher = term.teacher
    assert teacher is hook.teacher and term.distill_loss is hook.distill_loss
    assert teacher is not runner.model.generator and not teacher.training
    assert not any(p.requires_grad for p in teacher.parameters())
    with torch.no_grad():
        runner.model.generator.conv1.weight.add_(1.0)
    assert not torch.equal(teacher.conv1.weight,
                           runner.model.generator.conv1.weight)
    # lambda L(f(x), f_old(x)) with the configured weight and criterion.
    x = torch.rand(1, 3, 8, 8)
    feats = runner.model.generator(x)
    assert term(x, feats).item() == pytest.approx(
        0.5 * (feats - teacher(x)).abs().mean().item())

    checkpoint = {}
    hook.before_save_checkpoint(runner, checkpoint)
    fresh_runner, fresh = _Runner(), _hook()
    fresh.after_load_checkpoint(fresh_runner, checkpoint)
    assert fresh.teacher_task == 1
    restored = fresh_runner.model.terms['loss_distill'].teacher
    assert torch.equal(restored.conv1.weight, teacher.conv1.weight)

    # A new sequence starts without a teacher.
    hook.before_task(runner, 0)
    assert runner.model.terms == {}


def test_needs_a_model_that_takes_loss_terms():
    runner = _Runner()
    runner.model = nn.Module()
    runner.model.generator = NRToyNet()
    with pytest.raises(TypeError, match="model.type='DistillEditModel'"):
        _hook().before_task(runner, 1)


def test_distill_loss_is_required_as_a_loss():
    with pytest.raises(TypeError, match='distill_loss must be'):
        TeacherSnapshotHook(distill_loss='SSIMLoss')
