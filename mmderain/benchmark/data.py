"""Data pipeline: the renderer's and the image-file reader's throughput, and
the share of each training iteration spent waiting for data.

The target: the data time stays below 10% of the iteration time in
the demo and paper configs with their default workers, with rendered rain
and with image files read from disk. The share is read from mmengine's
``IterTimerHook`` (``train/data_time`` over ``train/time``) during a short
real training run, so worker start-up, prefetching and the CPU the workers
take from training all count.
"""
import os.path as osp
import time
from typing import List, Optional, Tuple

import numpy as np
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from mmagic.registry import DATASETS
from .context import BenchContext
from .measure import median
from .report import make_figure, make_target
from .runner_steps import benchmark_config

DEMO_CONFIG = 'configs/prenet/prenet_b4-p64_800i_rendered-mix.py'
RAINTRAINL_CONFIG = 'configs/prenet/prenet_b4-p64_1200i_raintrainl.py'
PAPER_CONFIG = 'configs/prenet/prenet_100e_rain100l.py'
RENDERED_BASE = 'configs/_base_/datasets/rendered_rain.py'
RAINTRAINL_DATA = 'data/RainTrainL'


def renderer_throughput(ctx: BenchContext,
                        presets=('rain100l', 'rain100h', 'rain800',
                                 'rain14000'),
                        size: int = 64) -> List[dict]:
    """Rendered training samples per second of ``RenderedRainDataset``
    (one process, the training pipeline of the base config), per preset."""
    cfg = Config.fromfile(RENDERED_BASE)
    init_default_scope('mmagic')
    count = 4 if ctx.quick else 32
    size = 16 if ctx.quick else size
    figures = []
    for preset in presets:
        dataset = DATASETS.build(
            dict(cfg[f'rendered_{preset}_train'], img_size=size,
                 num_samples=count))
        dataset[0]
        start = time.perf_counter()
        for index in range(count):
            dataset[index]
        rate = count / (time.perf_counter() - start)
        figures.append(
            make_figure('data', f'renderer: {preset} samples/s', rate,
                        'samples/s', device='cpu', threads=ctx.threads,
                        patch=f'{size}x{size}',
                        source=f'{RENDERED_BASE} rendered_{preset}_train',
                        note=f'{count} samples, one process'))
    return figures


def file_reader_throughput(ctx: BenchContext,
                           config: str = RAINTRAINL_CONFIG) -> List[dict]:
    """Training samples per second read from image files (decode,
    crop, flip, pack) in one process."""
    if not osp.isdir(RAINTRAINL_DATA):
        return [make_figure('data', 'image files: samples/s', None,
                            'samples/s', device='cpu', threads=ctx.threads,
                            source=config, note=f'{RAINTRAINL_DATA} missing')]
    cfg = Config.fromfile(config)
    init_default_scope('mmagic')
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    count = min(len(dataset), 4 if ctx.quick else 32)
    dataset[0]
    start = time.perf_counter()
    for index in range(count):
        dataset[index]
    rate = count / (time.perf_counter() - start)
    return [make_figure('data', 'image files: samples/s', rate, 'samples/s',
                        device='cpu', threads=ctx.threads, source=config,
                        note=f'{count} samples of {RAINTRAINL_DATA}, one '
                        'process')]


def loop_data_share(ctx: BenchContext, config: str, tag: str,
                    iters: int,
                    cfg_options: Optional[dict] = None) -> Tuple[float,
                                                                 float,
                                                                 dict]:
    """Train ``iters`` real iterations of ``config`` and return the median
    data time, the median iteration time (both without the first two
    iterations, which start the workers) and the loader settings."""
    options = dict(cfg_options or {})
    cfg = benchmark_config(config, osp.join(ctx.work_dir, tag), tag, options)
    # The paper configs train by epoch: a few iterations of the same loader
    # are enough here, and no learning-rate schedule is needed.
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=iters)
    cfg.param_scheduler = None
    runner = Runner.from_cfg(cfg)
    runner.train()
    data = runner.message_hub.get_scalar('train/data_time').data[0]
    total = runner.message_hub.get_scalar('train/time').data[0]
    skip = 2 if len(total) > 3 else 0
    loader = cfg.train_dataloader
    return (float(np.median(data[skip:])), float(np.median(total[skip:])),
            dict(batch=loader.batch_size, workers=loader.num_workers))


def data_suite(ctx: BenchContext) -> Tuple[List[dict], List[dict]]:
    """Renderer and reader throughput; data share of the iteration time in
    the demo (rendered rain), RainTrainL and paper (image files) configs."""
    figures = renderer_throughput(ctx) + file_reader_throughput(ctx)
    targets = []
    runs = [('demo, rendered rain', DEMO_CONFIG, 'bench_data_demo')]
    if osp.isdir(RAINTRAINL_DATA):
        runs += [('RainTrainL run, image files', RAINTRAINL_CONFIG,
                  'bench_data_raintrainl'),
                 ('paper, image files', PAPER_CONFIG, 'bench_data_paper')]
    iters = 3 if ctx.quick else 2 + max(3, ctx.rounds)
    for label, config, tag in runs:
        options = {}
        if ctx.quick:
            options = {'model.generator.num_stages': 1,
                       'train_dataloader.batch_size': 1}
        if tag == 'bench_data_paper' and not ctx.quick:
            # The paper's first epoch reads headers of all files; a few
            # iterations of its batch-18 step are enough to see the share.
            iters = 2 + 3
        data_time, iter_time, loader = loop_data_share(
            ctx, config, tag, iters, options)
        source = config
        note = (f"{loader['workers']} workers, median of "
                f'{iters - 2 if iters > 3 else iters} iterations')
        figures += [
            make_figure('data', f'{label}: data time', data_time, 's/iter',
                        device=ctx.device, threads=ctx.threads,
                        batch=loader['batch'], source=source, note=note),
            make_figure('data', f'{label}: iteration time', iter_time,
                        's/iter', device=ctx.device, threads=ctx.threads,
                        batch=loader['batch'], source=source, note=note),
        ]
        targets.append(
            make_target(f'data time / iteration time ({label})',
                        data_time / iter_time, 0.10, unit='',
                        device=ctx.device, detail=note))
    return figures, targets


def median_or_none(values) -> Optional[float]:
    """Median, or None for no values."""
    return median(values) if len(values) else None
