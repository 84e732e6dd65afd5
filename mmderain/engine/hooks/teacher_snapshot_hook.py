"""Teacher snapshots for the Knowledge Distillation of Neural
Reorganization (Sec. 3.2, Eq. 7, Fig. 3c)."""
import copy
from typing import Optional

from mmagic.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.runner.checkpoint import weights_to_cpu
from torch import nn

from mmderain.engine.runner.sequential_train_loop import \
    require_sequential_loop

_CKPT_KEY = 'teacher_snapshot'


@HOOKS.register_module()
class TeacherSnapshotHook(Hook):
    """Freeze a copy of the network at the start of every task after the
    first, as ``f(.; theta^(n-1))`` of Eq. 7.

    At ``before_task`` (an event of ``SequentialTrainLoop``) for task
    ``n > 0`` the hook deep-copies the model's ``module`` (the generator),
    puts it in eval mode without gradients and hands it to the model with
    ``model.set_teacher(teacher)`` (see ``DistillEditModel``). Task 0 has no
    teacher. The teacher's weights and task index go into checkpoints and
    are restored on resume, so a run resumed mid-task distils from the same
    teacher.

    Args:
        module (str): Attribute of the model to snapshot. Defaults to
            ``'generator'``.
    """

    priority = 'NORMAL'

    def __init__(self, module: str = 'generator') -> None:
        self.module = module
        self.teacher: Optional[nn.Module] = None
        self.teacher_task: Optional[int] = None

    @staticmethod
    def _model(runner) -> nn.Module:
        model = runner.model
        return model.module if is_model_wrapper(model) else model

    def _snapshot(self, model: nn.Module) -> nn.Module:
        if not hasattr(model, self.module):
            raise AttributeError(
                f'TeacherSnapshotHook: the model {type(model).__name__} has '
                f'no attribute {self.module!r} to snapshot.')
        teacher = copy.deepcopy(getattr(model, self.module))
        teacher.eval()
        teacher.requires_grad_(False)
        return teacher

    def _attach(self, runner) -> None:
        model = self._model(runner)
        if not hasattr(model, 'set_teacher'):
            raise TypeError(
                'TeacherSnapshotHook needs a model with set_teacher(), such '
                f"as 'DistillEditModel'; got {type(model).__name__}.")
        model.set_teacher(self.teacher)

    def before_train(self, runner) -> None:
        """Refuse to train without task events (see
        :func:`~mmderain.engine.runner.require_sequential_loop`)."""
        require_sequential_loop(runner, type(self).__name__)

    def before_task(self, runner, task_idx: int) -> None:
        """Snapshot the current network as the teacher of task
        ``task_idx``."""
        if task_idx == 0:
            self.teacher, self.teacher_task = None, None
        else:
            self.teacher = self._snapshot(self._model(runner))
            self.teacher_task = task_idx
            print_log(
                f'Knowledge Distillation: teacher for task {task_idx} is '
                f'the network after task {task_idx - 1}',
                logger='current')
        self._attach(runner)

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Store the teacher's weights and task index."""
        if self.teacher is None:
            return
        checkpoint[_CKPT_KEY] = dict(
            task_idx=self.teacher_task,
            state_dict=weights_to_cpu(self.teacher.state_dict()))

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Rebuild the teacher from the checkpoint."""
        state = checkpoint.get(_CKPT_KEY)
        if state is None:
            return
        teacher = self._snapshot(self._model(runner))
        teacher.load_state_dict(state['state_dict'])
        self.teacher = teacher
        self.teacher_task = state['task_idx']
        self._attach(runner)
