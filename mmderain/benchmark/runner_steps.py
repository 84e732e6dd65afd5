"""Training steps of a real mmengine Runner, ready to be timed.

A Runner from a config goes through ``Runner.train()`` (so its model
wrapping, optimizer wrapper, parameter schedulers, hooks and ``compile``
option are set up exactly as in training) with the train loop's ``run``
replaced by the caller's function, which then calls ``loop.run_iter`` on
batches of its choice: each call is one iteration of the real loop (the
hooks' ``before/after_train_iter``, the data preprocessor,
``model.train_step`` and the optimizer wrapper), without the data loading.
"""
import copy
import os.path as osp
from typing import Any, Callable, Dict, List, Optional, Sequence

import torch
from mmengine.config import Config
from mmengine.runner import IterBasedTrainLoop, Runner

from mmagic.structures import DataSample

# Test and validation are not benchmarked; the hooks that write files at
# long intervals are moved out of reach.
_DROPPED_KEYS = ('val_dataloader', 'val_cfg', 'val_evaluator',
                 'test_dataloader', 'test_cfg', 'test_evaluator')


def benchmark_config(config: str,
                     work_dir: str,
                     name: str,
                     cfg_options: Optional[dict] = None) -> Config:
    """Load ``config`` for timing: no validation, test, logging or
    checkpoints, a private work directory and experiment name.

    Args:
        config (str): Config file.
        work_dir (str): Where the Runner may write its log.
        name (str): Experiment name (unique per Runner of a process).
        cfg_options (dict, optional): Overrides, as ``--cfg-options``.

    Returns:
        Config: The config.
    """
    if not osp.isfile(config):
        raise FileNotFoundError(f'benchmark: config {config} does not exist.')
    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    for key in _DROPPED_KEYS:
        cfg[key] = None
    cfg.work_dir = work_dir
    cfg.experiment_name = name
    cfg.log_level = 'WARNING'
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=10**9)
    cfg.default_hooks.checkpoint = None
    cfg.visualizer = dict(type='Visualizer', vis_backends=[])
    return cfg


def synthetic_batch(batch_size: int, size: int, seed: int = 0) -> dict:
    """A collated batch as mmagic's ``PackInputs`` and ``pseudo_collate``
    give it: uint8 (3, size, size) inputs and ``gt_img`` of random pixels.
    """
    generator = torch.Generator().manual_seed(seed)

    def image() -> torch.Tensor:
        return torch.randint(
            0, 256, (3, size, size), dtype=torch.uint8, generator=generator)

    samples = []
    for _ in range(batch_size):
        sample = DataSample()
        sample.gt_img = image()
        samples.append(sample)
    return dict(inputs=[image() for _ in range(batch_size)],
                data_samples=samples)


def with_prepared_runners(runners: Sequence[Runner],
                          func: Callable[[List[IterBasedTrainLoop]], Any]
                          ) -> Any:
    """Call ``func(loops)`` with every Runner set up for training.

    Each Runner's ``train()`` runs its full set-up and the ``before_train``
    hooks, then, in place of its loop, the next Runner's ``train()``; the
    innermost calls ``func`` with all loops. ``after_train`` and
    ``after_run`` hooks run when ``func`` returns.

    Args:
        runners (Sequence[Runner]): Runners with iteration-based loops.
        func (callable): Receives the list of loops, returns the result.

    Returns:
        The result of ``func``.
    """
    result: Dict[str, Any] = {}

    def prepare(index: int) -> None:
        if index == len(runners):
            result['value'] = func(loops)
            return
        runner = runners[index]
        loop = runner.train_loop
        if not isinstance(loop, IterBasedTrainLoop):
            raise TypeError('benchmark: the training step is timed through '
                            'an IterBasedTrainLoop, the config has '
                            f'{type(loop).__name__}.')
        loops.append(loop)

        def run() -> torch.nn.Module:
            runner.call_hook('before_train')
            runner.call_hook('before_train_epoch')
            prepare(index + 1)
            runner.call_hook('after_train_epoch')
            runner.call_hook('after_train')
            return runner.model

        loop.run = run
        runner.train()

    loops: List[IterBasedTrainLoop] = []
    prepare(0)
    return result['value']


def unwrap(model: torch.nn.Module) -> torch.nn.Module:
    """The model inside a wrapper (DDP and the like)."""
    return getattr(model, 'module', model)


def preprocessed(model: torch.nn.Module, batch: dict,
                 device: str) -> tuple:
    """``(inputs, targets)`` tensors of ``batch`` after ``model``'s data
    preprocessor, on ``device``: what a plain PyTorch loop would feed."""
    data = unwrap(model).data_preprocessor(copy.deepcopy(batch), True)
    return (data['inputs'].to(device),
            data['data_samples'].gt_img.to(device))


def plain_step(net: torch.nn.Module, loss_fn: Callable, inputs: torch.Tensor,
               targets: torch.Tensor, lr: float = 1e-3) -> Callable[[], None]:
    """One step of a plain PyTorch loop: forward, loss, backward, Adam.

    Args:
        net (nn.Module): The network (trained in place).
        loss_fn (callable): ``loss_fn(pred, target)`` -> scalar.
        inputs (Tensor): Network inputs.
        targets (Tensor): Targets.
        lr (float): Adam's learning rate. Default: 1e-3.

    Returns:
        callable: The step.
    """
    net.train()
    optimizer = torch.optim.Adam(net.parameters(), lr=lr, betas=(0.9, 0.999))

    def step() -> None:
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(net(inputs), targets)
        loss.backward()
        optimizer.step()

    return step
