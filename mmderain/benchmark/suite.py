"""Run the selected sub-benchmarks on each device and collect the output."""
import os
from typing import Callable, Dict, List, Sequence, Tuple

import torch

from .context import BenchContext
from .data import data_suite
from .dataset_check import dataset_check_suite
from .infer import infer_suite
from .measure import run_in_subprocess
from .nr import importance_suite, nr_suite
from .onnx_infer import onnx_suite
from .report import format_figures, format_targets
from .train import train_suite

SUITES: Dict[str, Callable[[BenchContext], Tuple[List[dict], List[dict]]]]
SUITES = dict(train=train_suite, nr=nr_suite, importance=importance_suite,
              data=data_suite, dataset_check=dataset_check_suite,
              infer=infer_suite, onnx=onnx_suite)
OPTIONS = ('channels_last', 'compile', 'amp')


def parse_only(only: str) -> List[str]:
    """Sub-benchmark names from a comma-separated list (empty: all)."""
    names = [n.strip() for n in only.split(',') if n.strip()] or list(SUITES)
    unknown = [n for n in names if n not in SUITES]
    if unknown:
        raise ValueError(f'--only: unknown sub-benchmark(s) {unknown}; '
                         f'choose from {list(SUITES)}.')
    return names


def check_options(options: Sequence[str]) -> Tuple[str, ...]:
    """Validate speed-up option names."""
    unknown = [o for o in options if o not in OPTIONS]
    if unknown:
        raise ValueError(f'--options: unknown option(s) {unknown}; choose '
                         f'from {list(OPTIONS)}.')
    return tuple(options)


def default_devices() -> List[str]:
    """The CPU, and the GPU when one is present."""
    return ['cpu', 'cuda'] if torch.cuda.is_available() else ['cpu']


def run_device(ctx: BenchContext,
               names: Sequence[str]) -> Tuple[List[dict], List[dict]]:
    """Run the sub-benchmarks ``names`` with ``ctx`` in this process."""
    torch.manual_seed(0)
    from mmengine.registry import init_default_scope
    import mmderain  # noqa: F401  registers the modules
    init_default_scope('mmagic')
    figures, targets = [], []
    for name in names:
        more_figures, more_targets = SUITES[name](ctx)
        for item in more_figures + more_targets:
            item['command'] = ctx.command
        # Progress: a long run shows each sub-benchmark as it finishes.
        print(f'[{ctx.device}] {name} done:\n' + format_figures(more_figures)
              + '\n' + format_targets(more_targets) + '\n', flush=True)
        figures += more_figures
        targets += more_targets
    return figures, targets


def run_benchmarks(ctx: BenchContext, names: Sequence[str],
                   devices: Sequence[str]) -> Tuple[List[dict], List[dict]]:
    """Run ``names`` on every device, each device in a fresh process.

    A CPU run on a machine with a GPU hides the GPU from its process
    (``CUDA_VISIBLE_DEVICES=''``), since mmengine's Runner puts the model on
    any GPU it sees.
    """
    figures, targets = [], []
    for device in devices:
        if device not in ('cpu', 'cuda'):
            raise ValueError(f"--device: 'cpu' or 'cuda', got {device!r}.")
        if device == 'cuda' and not torch.cuda.is_available():
            raise RuntimeError('--device cuda: no GPU is available.')
        device_ctx = BenchContext(**{**ctx.__dict__, 'device': device})
        hidden = os.environ.get('CUDA_VISIBLE_DEVICES')
        if device == 'cpu' and torch.cuda.is_available():
            os.environ['CUDA_VISIBLE_DEVICES'] = ''
        try:
            more_figures, more_targets = run_in_subprocess(
                run_device, device_ctx, list(names), timeout=3600)
        finally:
            if hidden is None:
                os.environ.pop('CUDA_VISIBLE_DEVICES', None)
            else:
                os.environ['CUDA_VISIBLE_DEVICES'] = hidden
        figures += more_figures
        targets += more_targets
    return figures, targets
