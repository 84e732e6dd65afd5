import pytest
import torch
from nr_toys import NRToyNet
from torch import nn

from mmderain.engine.hooks import TeacherSnapshotHook


class _Model(nn.Module):

    def __init__(self):
        super().__init__()
        self.generator = NRToyNet()
        self.teacher = None

    def set_teacher(self, teacher):
        self.teacher = teacher


class _Runner:

    def __init__(self):
        self.model = _Model()


def test_snapshot_per_task_and_checkpoint_round_trip():
    runner, hook = _Runner(), TeacherSnapshotHook()
    hook.before_task(runner, 0)
    assert runner.model.teacher is None

    hook.before_task(runner, 1)
    teacher = runner.model.teacher
    assert teacher is not runner.model.generator and not teacher.training
    assert not any(p.requires_grad for p in teacher.parameters())
    with torch.no_grad():
        runner.model.generator.conv1.weight.add_(1.0)
    assert not torch.equal(teacher.conv1.weight,
                           runner.model.generator.conv1.weight)

    checkpoint = {}
    hook.before_save_checkpoint(runner, checkpoint)
    fresh_runner, fresh = _Runner(), TeacherSnapshotHook()
    fresh.after_load_checkpoint(fresh_runner, checkpoint)
    assert fresh.teacher_task == 1
    assert torch.equal(fresh_runner.model.teacher.conv1.weight,
                       teacher.conv1.weight)


def test_needs_a_model_that_takes_a_teacher():
    runner = _Runner()
    runner.model = nn.Module()
    runner.model.generator = NRToyNet()
    with pytest.raises(TypeError, match='set_teacher'):
        TeacherSnapshotHook().before_task(runner, 1)
