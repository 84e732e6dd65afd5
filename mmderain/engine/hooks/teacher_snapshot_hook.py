"""Teacher snapshots for the Knowledge Distillation of Neural
Reorganization (Sec. 3.2, Eq. 7, Fig. 3c)."""
import copy
from typing import Optional, Union

from mmagic.registry import HOOKS, MODELS
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.runner.checkpoint import weights_to_cpu
from torch import nn

from mmderain.engine.runner.sequential_train_loop import \
    require_sequential_loop
from mmderain.models.base_models import DistillationTerm

from .loss_terms import loss_term_model

_CKPT_KEY = 'teacher_snapshot'


@HOOKS.register_module()
class TeacherSnapshotHook(Hook):
    """Freeze a copy of the network at the start of every task after the
    first, as ``f(.; theta^(n-1))`` of Eq. 7, and distil from it.

    At ``before_task`` (an event of ``SequentialTrainLoop``) for task
    ``n > 0`` the hook deep-copies the model's ``module`` (the generator),
    puts it in eval mode without gradients and sets the model's loss term
    ``loss_distill`` = ``distill_loss(f(x), f_old(x))`` (a
    :class:`~mmderain.models.DistillationTerm`; the model must be a
    ``DistillEditModel``). Task 0 has no teacher and no term. The
    teacher's weights and task index go into checkpoints and are restored
    on resume, so a run resumed mid-task distils from the same teacher.

    Args:
        distill_loss (dict | nn.Module): The distillation loss, e.g.
            ``dict(type='DistillationLoss', loss_weight=0.8,
            criterion=dict(type='SSIMLoss'))`` (lambda = 0.8 and the
            training loss, as the paper).
        module (str): Attribute of the model to snapshot. Defaults to
            ``'generator'``.
    """

    priority = 'NORMAL'
    #: Name of the term in the model's losses and the log.
    loss_name = 'loss_distill'

    def __init__(self,
                 distill_loss: Union[dict, nn.Module],
                 module: str = 'generator') -> None:
        if isinstance(distill_loss, dict):
            distill_loss = MODELS.build(distill_loss)
        if not isinstance(distill_loss, nn.Module):
            raise TypeError('TeacherSnapshotHook: distill_loss must be a '
                            'loss config dict or nn.Module, got '
                            f'{type(distill_loss)}.')
        self.distill_loss = distill_loss
        self.module = module
        self.teacher: Optional[nn.Module] = None
        self.teacher_task: Optional[int] = None

    def _snapshot(self, model: nn.Module) -> nn.Module:
        if not hasattr(model, self.module):
            raise AttributeError(
                f'TeacherSnapshotHook: the model {type(model).__name__} has '
                f'no attribute {self.module!r} to snapshot.')
        teacher = copy.deepcopy(getattr(model, self.module))
        teacher.eval()
        teacher.requires_grad_(False)
        return teacher

    def _attach(self, model: nn.Module) -> None:
        if self.teacher is None:
            model.remove_loss_term(self.loss_name)
            return
        # The loss's buffers (e.g. SSIM's window) on the network's device.
        self.distill_loss.to(next(model.parameters()).device)
        model.set_loss_term(self.loss_name,
                            DistillationTerm(self.teacher, self.distill_loss))

    def before_train(self, runner) -> None:
        """Refuse to train without task events (see
        :func:`~mmderain.engine.runner.require_sequential_loop`) or with a
        model that takes no loss terms."""
        require_sequential_loop(runner, type(self).__name__)
        loss_term_model(runner, type(self).__name__)

    def before_task(self, runner, task_idx: int) -> None:
        """Snapshot the current network as the teacher of task
        ``task_idx``."""
        model = loss_term_model(runner, type(self).__name__)
        if task_idx == 0:
            self.teacher, self.teacher_task = None, None
        else:
            self.teacher = self._snapshot(model)
            self.teacher_task = task_idx
            print_log(
                f'Knowledge Distillation: teacher for task {task_idx} is '
                f'the network after task {task_idx - 1}',
                logger='current')
        self._attach(model)

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
        model = loss_term_model(runner, type(self).__name__)
        teacher = self._snapshot(model)
        teacher.load_state_dict(state['state_dict'])
        self.teacher = teacher
        self.teacher_task = state['task_idx']
        self._attach(model)
