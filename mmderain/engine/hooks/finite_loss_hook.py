"""Stop training at the first loss that is NaN or infinite."""
import math
import os.path as osp
from typing import Optional

import torch
from mmagic.registry import HOOKS
from mmengine.dist import all_reduce, get_world_size
from mmengine.hooks import Hook
from mmengine.runner import find_latest_checkpoint


@HOOKS.register_module()
class FiniteLossHook(Hook):
    """Stop training at the first iteration whose losses are not finite.

    A NaN or infinite loss poisons the weights at the same optimizer step;
    every later iteration and checkpoint would be worthless. The hook runs
    after each training iteration, before ``CheckpointHook`` (priority
    ``ABOVE_NORMAL`` against its ``VERY_LOW``), so the poisoned state is
    never saved: the newest checkpoint, which ``last_checkpoint`` in the
    work directory names and ``--resume`` continues from, stays the last
    good one. Under distributed training the ranks agree on the verdict, so
    that all of them stop together instead of waiting for each other.

    Raises:
        FloatingPointError: Naming the iteration (1-based, as logged), the
            task of a ``SequentialTrainLoop``, the losses and the checkpoint
            to resume from.
    """

    priority = 'ABOVE_NORMAL'

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs: Optional[dict] = None) -> None:
        """Check the logged losses of the iteration just run."""
        bad = {
            key: float(value)
            for key, value in (outputs or {}).items()
            if isinstance(value, (int, float, torch.Tensor))
            and not all(math.isfinite(v) for v in torch.as_tensor(
                value, dtype=torch.float64).flatten().tolist())
        }
        if get_world_size() > 1:
            flag = torch.tensor(float(bool(bad)))
            all_reduce(flag)
            if flag.item() == 0:
                return
        elif not bad:
            return
        raise FloatingPointError(self._message(runner, bad))

    @staticmethod
    def _message(runner, bad: dict) -> str:
        where = f'iteration {runner.iter + 1}'
        loop = runner.train_loop
        if hasattr(loop, 'task_names'):
            where += (f' (task {loop.task_idx}, '
                      f'{loop.task_names[loop.task_idx]})')
        losses = ', '.join(f'{k}={v}' for k, v in bad.items()) or (
            'on another rank')
        pointer = osp.join(runner.work_dir, 'last_checkpoint')
        # Without the pointer find_latest_checkpoint logs that nothing is
        # to be resumed, a stray line next to this error.
        last = find_latest_checkpoint(
            runner.work_dir) if osp.isfile(pointer) else None
        if last:
            resume = (f'The last good checkpoint is "{last}"; '
                      f'{pointer} names it, so `tools/train.py --resume` '
                      'continues from there (lower the learning rate or '
                      'check the data first).')
        else:
            resume = 'No checkpoint was saved before it.'
        return (f'Training stopped: the loss is not finite at {where}: '
                f'{losses}. Nothing of this iteration was saved. {resume}')


def add_finite_loss_hook(cfg) -> None:
    """Append a :class:`FiniteLossHook` to ``cfg.custom_hooks`` unless the
    config has one; training configs get it from ``build_train_cfg``."""
    hooks = list(cfg.get('custom_hooks', None) or [])
    if not any(h.get('type') in ('FiniteLossHook', FiniteLossHook)
               for h in hooks):
        hooks.append(dict(type='FiniteLossHook'))
    cfg.custom_hooks = hooks
