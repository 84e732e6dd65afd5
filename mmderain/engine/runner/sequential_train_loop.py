"""A train loop over a sequence of tasks (datasets), one after another.

Neural Reorganization (Sec. 3, Fig. 3a) trains one network on a list of
datasets in order, each with the network's own recipe, and acts at every
dataset boundary (consolidate the important parameters, take a teacher
snapshot). This loop runs such a list inside mmengine's ``Runner``.
"""
import copy
import os.path as osp
from typing import Dict, Iterator, List, Optional, Sequence, Union

import torch
from mmagic.registry import LOOPS, PARAM_SCHEDULERS
from mmengine.dist import is_main_process
from mmengine.logging import print_log
from mmengine.runner.base_loop import BaseLoop
from mmengine.runner.utils import set_random_seed
from torch.utils.data import DataLoader

from mmderain.datasets.transforms.random_state import restart_training_streams
from mmderain.utils.atomic_files import atomic_write_text

SchedulerCfg = Union[dict, List[dict]]


def _infinite_batches(dataloader: DataLoader) -> Iterator:
    """Yield batches forever, re-iterating the dataloader when it ends."""
    epoch = 0
    while True:
        for batch in dataloader:
            yield batch
        epoch += 1
        sampler = getattr(dataloader, 'sampler', None)
        if not hasattr(sampler, 'set_epoch'):
            sampler = getattr(getattr(dataloader, 'batch_sampler', None),
                              'sampler', None)
        if hasattr(sampler, 'set_epoch'):
            sampler.set_epoch(epoch)


def require_sequential_loop(runner, hook_name: str) -> None:
    """Refuse to train unless ``runner.train_loop`` is a
    :class:`SequentialTrainLoop`.

    Hooks that act on the task events ``before_task`` / ``after_task``
    (consolidation, teacher snapshots, the sequence matrix, and any other
    continual-learning hook) call this in ``before_train``: under a loop
    that emits no task events they would silently do nothing.

    Args:
        runner (Runner): The runner about to train.
        hook_name (str): The calling hook, named in the error.

    Raises:
        TypeError: If the train loop is of another type.
    """
    loop = runner.train_loop
    if not isinstance(loop, SequentialTrainLoop):
        raise TypeError(
            f'{hook_name} acts at task boundaries and needs '
            "train_cfg.type='SequentialTrainLoop' with a list of tasks; "
            f'this run uses {type(loop).__name__}, which has no tasks, so '
            f'{hook_name} would silently do nothing. Train the task sequence '
            f'with SequentialTrainLoop, or remove {hook_name} from '
            'custom_hooks (or default_hooks, where the sequence configs set '
            'SequenceEvalHook and StateFootprintHook).')


@LOOPS.register_module()
class SequentialTrainLoop(BaseLoop):
    """Iteration-based training on a sequence of tasks.

    Each task has its own dataloader, length and learning-rate schedule. At
    every task start the loop (optionally) clears the optimizer state and
    returns each parameter group to its initial learning rate, builds the
    task's parameter schedulers into ``runner.param_schedulers`` (which
    mmengine's ``ParamSchedulerHook`` steps every iteration), calls the hook
    event ``before_task(runner, task_idx)``, and re-seeds the random
    generators with ``runner.seed + task_idx``. At every task end it
    re-seeds with ``runner.seed + num_tasks + task_idx``, calls
    ``after_task(runner, task_idx)``, runs the validation loop and saves a
    checkpoint ``task{idx}_{name}.pth`` in the work directory (also named
    in ``last_checkpoint``, for ``--resume``). Any hook may
    define ``before_task`` / ``after_task`` methods.

    ``runner.iter`` counts iterations over the whole sequence and
    ``runner.epoch`` counts the tasks already finished (``after_task`` done),
    so both are saved in every checkpoint. On resume the loop finds the
    task from ``runner.iter``, restores that task's schedule by stepping
    freshly built schedulers to the task-local iteration, and skips the
    batches already used, from a generator re-seeded exactly as in the
    uninterrupted run. Data order and random augmentation therefore repeat
    exactly; only randomness inside the model's forward (e.g. dropout) is
    not replayed. A checkpoint saved on a task's last iteration is from
    before ``after_task``; resuming from it runs ``after_task`` first.

    mmengine's ``Runner`` requires a ``train_dataloader``; set it to the
    first task's loader (the loop does not build it again) and leave the
    global ``param_scheduler`` unset: schedules belong to the tasks.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader or dict): The runner's ``train_dataloader``;
            used for nothing else than satisfying the runner.
        tasks (list[dict]): The tasks in training order. Keys:

            - ``name`` (str): unique task name, e.g. ``'rain100h'``.
            - ``dataloader`` (dict or DataLoader): the task's train loader.
            - ``max_iters`` (int) or ``max_epochs`` (int): the task's
              length; epochs are converted with the loader's length.
            - ``param_scheduler`` (dict or list[dict], optional): schedulers
              for this task, counted from the task's first iteration; they
              must be iteration based (``by_epoch=False``) or set
              ``convert_to_iter_based=True``.
        param_scheduler (dict or list[dict], optional): Schedule used by
            tasks that do not set their own. Defaults to None.
        reset_optimizer (bool): Clear the optimizer state (e.g. Adam
            moments) at every task start, as when training each dataset
            with a fresh recipe. Defaults to True.
        reseed_per_task (bool): Re-seed the random generators at every task
            start and end, which makes a resumed run repeat the data of an
            uninterrupted one. Defaults to True.
        val_interval (int, optional): Also validate every ``val_interval``
            iterations (global count). Defaults to None (only at task
            ends).
        val_at_task_end (bool): Run the validation loop after each task.
            Defaults to True.
        save_task_checkpoint (bool): Save a checkpoint after each task's
            ``after_task`` event and validation. Defaults to True.
    """

    def __init__(self,
                 runner,
                 dataloader: Union[DataLoader, Dict, None],
                 tasks: Sequence[dict],
                 param_scheduler: Optional[SchedulerCfg] = None,
                 reset_optimizer: bool = True,
                 reseed_per_task: bool = True,
                 val_interval: Optional[int] = None,
                 val_at_task_end: bool = True,
                 save_task_checkpoint: bool = True) -> None:
        if not isinstance(tasks, Sequence) or len(tasks) == 0:
            raise ValueError('train_cfg.tasks must be a non-empty list of '
                             f'task dicts, got {tasks!r}.')
        if val_interval is not None and val_interval < 1:
            raise ValueError('train_cfg.val_interval must be a positive '
                             f'integer or None, got {val_interval!r}.')
        self.reset_optimizer = reset_optimizer
        self.reseed_per_task = reseed_per_task
        self.val_interval = val_interval
        self.val_at_task_end = val_at_task_end
        self.save_task_checkpoint = save_task_checkpoint

        # The runner's public config (what Runner.from_cfg, and so the
        # tools, build from) rather than its private _randomness_cfg.
        diff_rank_seed = (runner.cfg.get('randomness', None)
                          or {}).get('diff_rank_seed', False)
        self.task_names: List[str] = []
        self.dataloaders: List[DataLoader] = []
        self.task_iters: List[int] = []
        self._scheduler_cfgs: List[List[dict]] = []
        for idx, task in enumerate(tasks):
            where = f'train_cfg.tasks[{idx}]'
            if not isinstance(task, dict):
                raise TypeError(f'{where} must be a dict, got {task!r}.')
            unknown = set(task) - {
                'name', 'dataloader', 'max_iters', 'max_epochs',
                'param_scheduler'
            }
            if unknown:
                raise ValueError(
                    f'{where} has unknown keys {sorted(unknown)}.')
            name = task.get('name')
            if not isinstance(name, str) or not name:
                raise ValueError(f'{where}.name must be a non-empty string.')
            if name in self.task_names:
                raise ValueError(f'{where}.name {name!r} is used twice; task '
                                 'names must be unique.')
            if task.get('dataloader') is None:
                raise ValueError(f'{where} ({name}) has no dataloader.')
            loader = task['dataloader']
            if isinstance(loader, dict):
                loader = runner.build_dataloader(
                    loader, seed=runner.seed, diff_rank_seed=diff_rank_seed)
            self.task_names.append(name)
            self.dataloaders.append(loader)
            self.task_iters.append(self._task_length(task, loader, where))
            self._scheduler_cfgs.append(
                self._check_schedulers(
                    task.get('param_scheduler', param_scheduler), task,
                    where))

        # BaseLoop holds the first task's loader as `dataloader`; the
        # runner's train_dataloader config is not built again here.
        super().__init__(runner, self.dataloaders[0])
        self.task_starts = [
            sum(self.task_iters[:i]) for i in range(len(tasks))
        ]
        self._max_iters = sum(self.task_iters)
        # mmengine's Runner.resume restores a loop's position by writing
        # these two attributes, as IterBasedTrainLoop names them.
        self._epoch = 0
        self._iter = 0
        self.task_idx = 0
        self.stop_training = False

    @staticmethod
    def _task_length(task: dict, loader: DataLoader, where: str) -> int:
        has_iters = task.get('max_iters') is not None
        has_epochs = task.get('max_epochs') is not None
        if has_iters == has_epochs:
            raise ValueError(f'{where} must set exactly one of max_iters and '
                             'max_epochs.')
        key = 'max_iters' if has_iters else 'max_epochs'
        value = task[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f'{where}.{key} must be a positive integer, got '
                             f'{value!r}.')
        return value if has_iters else value * len(loader)

    @staticmethod
    def _check_schedulers(cfg: Optional[SchedulerCfg], task: dict,
                          where: str) -> List[dict]:
        if cfg is None:
            return []
        cfgs = [cfg] if isinstance(cfg, dict) else list(cfg)
        checked = []
        for i, scheduler in enumerate(cfgs):
            if not isinstance(scheduler, dict) or 'type' not in scheduler:
                raise TypeError(f'{where}.param_scheduler[{i}] must be a '
                                f'config dict with a type, got {scheduler!r}.')
            scheduler = copy.deepcopy(dict(scheduler))
            by_epoch = scheduler.get('by_epoch', True)
            if by_epoch and not scheduler.get('convert_to_iter_based', False):
                raise ValueError(
                    f'{where}.param_scheduler[{i}] ({scheduler["type"]}) is '
                    'epoch based; SequentialTrainLoop steps schedulers every '
                    'iteration: set by_epoch=False, or keep epochs and set '
                    'convert_to_iter_based=True.')
            if not by_epoch and task.get('max_iters') is not None:
                scheduler.setdefault('end', task['max_iters'])
            elif by_epoch and task.get('max_epochs') is not None:
                scheduler.setdefault('end', task['max_epochs'])
            checked.append(scheduler)
        return checked

    @property
    def max_epochs(self) -> int:
        """int: Number of tasks (``runner.epoch`` counts finished tasks)."""
        return len(self.task_names)

    @property
    def max_iters(self) -> int:
        """int: Total iterations over all tasks."""
        return self._max_iters

    @property
    def epoch(self) -> int:
        """int: Number of tasks finished, ``after_task`` included."""
        return self._epoch

    @property
    def iter(self) -> int:
        """int: Current iteration over the whole sequence."""
        return self._iter

    def locate(self, global_iter: int) -> tuple:
        """Return ``(task_idx, local_iter)`` of a global iteration.

        An iteration equal to a task's end belongs to the next task (local
        iteration 0); the end of the whole sequence gives
        ``(num_tasks, 0)``.
        """
        for idx, (start, length) in enumerate(
                zip(self.task_starts, self.task_iters)):
            if global_iter < start + length:
                return idx, global_iter - start
        return len(self.task_names), 0

    def run(self):
        """Train every task from the current position."""
        runner = self.runner
        if runner.param_schedulers is not None:
            raise ValueError(
                'SequentialTrainLoop builds a learning-rate schedule per '
                'task; '
                'remove the top-level param_scheduler from the config and put '
                'it in train_cfg.param_scheduler (all tasks) or in '
                'train_cfg.tasks[i].param_scheduler.')
        runner.call_hook('before_train')
        runner.call_hook('before_train_epoch')

        first_task, local_iter = self.locate(self._iter)
        if self._epoch not in (first_task - 1, first_task) or (
                local_iter > 0 and self._epoch != first_task):
            raise RuntimeError(
                f'Inconsistent resume position: iteration {self._iter} lies '
                f'in task {first_task} at local iteration {local_iter}, but '
                f'the checkpoint says {self._epoch} tasks were finished. Was '
                'the checkpoint saved with a different train_cfg.tasks?')
        if self._epoch == first_task - 1:
            # Saved on the previous task's last iteration, before its end.
            self._finish_task(first_task - 1)

        for task_idx in range(first_task, len(self.task_names)):
            if self.stop_training:
                break
            self._run_task(task_idx,
                           local_iter if task_idx == first_task else 0)

        runner.call_hook('after_train_epoch')
        runner.call_hook('after_train')
        return runner.model

    def _run_task(self, task_idx: int, start_iter: int) -> None:
        runner = self.runner
        self.task_idx = task_idx
        self.dataloader = self.dataloaders[task_idx]
        name = self.task_names[task_idx]
        fresh = start_iter == 0
        if fresh and self.reset_optimizer:
            runner.optim_wrapper.optimizer.state.clear()
        self._reset_param_group_values()
        schedulers = [
            PARAM_SCHEDULERS.build(
                cfg,
                default_args=dict(
                    optimizer=runner.optim_wrapper,
                    epoch_length=len(self.dataloader)))
            for cfg in self._scheduler_cfgs[task_idx]
        ]
        runner.param_schedulers = schedulers or None
        if fresh:
            print_log(
                f'Task {task_idx} ({name}): iterations '
                f'{self.task_starts[task_idx]}-'
                f'{self.task_starts[task_idx] + self.task_iters[task_idx]}',
                logger='current')
            runner.call_hook('before_task', task_idx=task_idx)
        else:
            print_log(
                f'Resuming task {task_idx} ({name}) at its iteration '
                f'{start_iter}: skipping the batches already used',
                logger='current')
            for _ in range(start_iter):
                for scheduler in schedulers:
                    scheduler.step()

        self._reseed(task_idx)
        if self.reseed_per_task:
            # Worker seeds come from the loader's own generator, so that the
            # model's use of torch's global generator between epochs cannot
            # change the data; the skipped batches replay its draws.
            self.dataloader.generator = torch.Generator().manual_seed(
                self.runner.seed + task_idx)
        batches = _infinite_batches(self.dataloader)
        for _ in range(start_iter):
            next(batches)

        end = self.task_starts[task_idx] + self.task_iters[task_idx]
        while self._iter < end and not self.stop_training:
            runner.model.train()
            self.run_iter(next(batches))
            if (self.val_interval is not None
                    and runner.val_loop is not None
                    and self._iter % self.val_interval == 0
                    and self._iter != end):
                runner.val_loop.run()
        if not self.stop_training:
            self._finish_task(task_idx)

    def _reset_param_group_values(self) -> None:
        """Return scheduled values (lr, momentum, ...) to their initial
        ones, which mmengine's schedulers keep as ``initial_<name>``."""
        for group in self.runner.optim_wrapper.optimizer.param_groups:
            group.setdefault('initial_lr', group['lr'])
            for key in list(group):
                if key.startswith('initial_') and key[8:] in group:
                    group[key[8:]] = group[key]

    def run_iter(self, data_batch) -> None:
        """Train one iteration, with mmengine's iteration hooks."""
        runner = self.runner
        runner.call_hook(
            'before_train_iter', batch_idx=self._iter, data_batch=data_batch)
        outputs = runner.model.train_step(
            data_batch, optim_wrapper=runner.optim_wrapper)
        runner.call_hook(
            'after_train_iter',
            batch_idx=self._iter,
            data_batch=data_batch,
            outputs=outputs)
        self._iter += 1

    def _reseed(self, offset: int) -> None:
        if self.reseed_per_task:
            set_random_seed(self.runner.seed + offset)
            restart_training_streams(self.runner.seed + offset)

    def _finish_task(self, task_idx: int) -> None:
        runner = self.runner
        self.task_idx = task_idx
        # Task-end hooks may draw data (e.g. importance estimation); their
        # randomness must not depend on whether the run was resumed.
        self._reseed(len(self.task_names) + task_idx)
        runner.call_hook('after_task', task_idx=task_idx)
        if self.val_at_task_end and runner.val_loop is not None:
            runner.val_loop.run()
        if self.save_task_checkpoint:
            filename = f'task{task_idx}_{self.task_names[task_idx]}.pth'
            # The checkpoint's epoch is the number of tasks finished, this
            # one included, and its iteration the next one to train.
            runner.save_checkpoint(
                runner.work_dir,
                filename,
                meta=dict(epoch=task_idx + 1, iter=self._iter))
            if is_main_process():
                # `--resume` without a path continues from the newest one.
                atomic_write_text(
                    osp.join(runner.work_dir, 'last_checkpoint'),
                    osp.join(runner.work_dir, filename))
        self._epoch = task_idx + 1

    def __repr__(self) -> str:
        tasks = ', '.join(
            f'{name}:{iters}'
            for name, iters in zip(self.task_names, self.task_iters))
        return f'{self.__class__.__name__}(tasks=[{tasks}])'
