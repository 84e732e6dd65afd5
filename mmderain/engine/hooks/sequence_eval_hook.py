"""Record the evaluation matrix of a task sequence (Neural Reorganization,
Tables 1-4)."""
import os.path as osp
from typing import Dict, Optional, Sequence

from mmagic.registry import HOOKS
from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmengine.logging import print_log

from mmderain.engine.runner.sequential_train_loop import \
    require_sequential_loop
from mmderain.evaluation.sequence_matrix import SequenceMatrix

_CKPT_KEY = 'sequence_eval'


@HOOKS.register_module()
class SequenceEvalHook(Hook):
    """Collect the metrics after every task into a :class:`SequenceMatrix`.

    The validation run that ``SequentialTrainLoop`` starts after each
    ``after_task`` event becomes row ``task_idx`` of the matrix: the metrics
    of every task's test set plus held-out sets, read from the validation
    results by the key ``key_template.format(set=..., metric=...)`` (the
    project's evaluator convention gives ``'rain100h-Y/PSNR'``). After each
    row the matrix, its average, backward transfer and forgetting are
    written as ``{prefix}.json`` / ``.csv`` and a heatmap ``{prefix}.png``
    into the work directory. Validations at other times are ignored. In
    ``tools/test.py`` the test metrics are logged as one row and written to
    ``{prefix}_test.json``. Rows are saved in checkpoints; resuming
    training from a checkpoint whose rows have other sets or metrics than
    the config is an error (the earlier rows would be lost).

    Args:
        task_sets (Sequence[str]): Test-set names of the tasks in training
            order.
        extra_sets (Sequence[str]): Held-out set names (generalization).
            Defaults to ().
        metrics (Sequence[str]): Metric names. Defaults to
            ``('Y/PSNR', 'Y/SSIM')``.
        key_template (str): Result key of a set and metric. Defaults to
            ``'{set}-{metric}'``.
        prefix (str): File name stem of the outputs. Defaults to
            ``'sequence_eval'``.
        out_dir (str, optional): Output folder. Defaults to the work
            directory.
    """

    priority = 'LOW'

    def __init__(self,
                 task_sets: Sequence[str],
                 extra_sets: Sequence[str] = (),
                 metrics: Sequence[str] = ('Y/PSNR', 'Y/SSIM'),
                 key_template: str = '{set}-{metric}',
                 prefix: str = 'sequence_eval',
                 out_dir: Optional[str] = None) -> None:
        self.matrix = SequenceMatrix(task_sets, extra_sets, metrics)
        self.key_template = key_template
        self.prefix = prefix
        self.out_dir = out_dir
        self._pending: Optional[int] = None
        # Why the rows of a loaded checkpoint were not restored, if so.
        self._mismatch: Optional[str] = None

    def _values(self, metrics: Dict[str, float]) -> dict:
        values: Dict[str, Dict[str, float]] = {}
        for metric in self.matrix.metrics:
            values[metric] = {}
            for name in self.matrix.sets:
                key = self.key_template.format(set=name, metric=metric)
                if key not in metrics:
                    raise KeyError(
                        f'SequenceEvalHook: no result {key!r} for set '
                        f'{name!r}; the evaluation gave {sorted(metrics)}. '
                        'Check the evaluator prefixes against task_sets / '
                        'extra_sets.')
                values[metric][name] = metrics[key]
        return values

    def before_train(self, runner) -> None:
        """Refuse to train without task events, or to resume without the
        checkpoint's rows."""
        require_sequential_loop(runner, type(self).__name__)
        if self._mismatch is not None and runner.iter > 0:
            raise ValueError(
                f'SequenceEvalHook: cannot resume: {self._mismatch}; '
                'continuing would lose the rows of the finished tasks. '
                'Resume with the config that trained the checkpoint.')

    def after_task(self, runner, task_idx: int) -> None:
        """Mark the next validation as the row of task ``task_idx``."""
        self._pending = task_idx

    def after_val_epoch(self,
                        runner,
                        metrics: Optional[Dict[str, float]] = None) -> None:
        """Store the pending row and write the outputs."""
        if self._pending is None or metrics is None:
            return
        task_idx, self._pending = self._pending, None
        names = getattr(runner.train_loop, 'task_names', None)
        name = names[task_idx] if names else f'task{task_idx}'
        self.matrix.set_row(task_idx, name, self._values(metrics))
        print_log(self.matrix.format_row(task_idx), logger='current')
        summary = self.matrix.summary()
        for metric, stats in summary.items():
            text = ', '.join(
                f'{k}={v:.4f}' for k, v in stats.items()
                if isinstance(v, float))
            print_log(f'Sequence {metric}: {text}', logger='current')
        if is_main_process():
            paths = self.matrix.save_all(self.out_dir or runner.work_dir,
                                         self.prefix)
            print_log(f'Sequence matrix written to {paths}', logger='current')

    def after_test_epoch(self,
                         runner,
                         metrics: Optional[Dict[str, float]] = None) -> None:
        """Log the tested checkpoint's row and write it as JSON."""
        if metrics is None:
            return
        row = SequenceMatrix(self.matrix.task_sets, self.matrix.extra_sets,
                             self.matrix.metrics)
        row.set_row(0, 'test', self._values(metrics))
        print_log(row.format_row(0), logger='current')
        if is_main_process():
            row.save_json(
                osp.join(self.out_dir or runner.work_dir,
                         f'{self.prefix}_test.json'))

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Store the rows recorded so far."""
        checkpoint[_CKPT_KEY] = self.matrix.to_dict()

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Restore the recorded rows if the sets and metrics match.

        A mismatch is only remembered here: testing a checkpoint on other
        sets is fine, resuming its training is refused in
        :meth:`before_train`.
        """
        state = checkpoint.get(_CKPT_KEY)
        if state is None:
            return
        restored = SequenceMatrix.from_dict(state)
        if (restored.sets, restored.metrics) == (self.matrix.sets,
                                                 self.matrix.metrics):
            self.matrix = restored
            self._mismatch = None
        else:
            self._mismatch = (
                f'the checkpoint recorded sets {restored.sets} / metrics '
                f'{restored.metrics}, this config uses {self.matrix.sets} / '
                f'{self.matrix.metrics}')
