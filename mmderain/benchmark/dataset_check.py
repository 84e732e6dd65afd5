"""The build-time pair check: its cost against one epoch of the paper recipe.

Every paired dataset checks its pairs when it is built
(:mod:`mmderain.datasets.checks`: the file structure and header of every
file, no pixel decoded). This sub-benchmark times that check on the
datasets a paper-config run builds before its first iteration, on
``data/RainTrainL`` (``configs/prenet/prenet_100e_rain100l.py``) and on a
generated folder in Rain14000's layout (14,000 rainy and 1,000 clean JPEGs,
``configs/prenet/prenet_100e_rain14000.py``: its Rain12600 training split
and its Rain1400 test split), and the same datasets built with
``check_pairs=False``.

The target: the check costs less than 5% of one epoch of the paper
recipe, the epoch being the config's iterations per epoch (its training
dataset's length over the batch size) times the measured time of one
training step of the paper's network, batch and patch on the benchmark's
device (a plain PyTorch step: forward, negative SSIM, backward, Adam;
both paper configs train the same network on batches of 18 of 100x100).
A GPU's step is far shorter than a CPU's, so the figure "break-even step
time" gives the step time below which the check would pass 5%.

The check is timed twice: with a warm page cache (CPU time, interleaved
with the two builds, as the other sub-benchmarks time) and with the
dataset's files evicted from the page cache first
(``posix_fadvise(POSIX_FADV_DONTNEED)``, wall time), the cost of a first
run. The target takes the larger of the two.
"""
import json
import math
import os
import os.path as osp
import tempfile
import time
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np
from mmengine.config import Config

from mmagic.registry import DATASETS, MODELS
from mmderain.datasets.checks import inspect_pairs
from .context import BenchContext
from .measure import clock_label, interleave, median
from .report import make_figure, make_target
from .runner_steps import plain_step, preprocessed, synthetic_batch

RAIN100L_CONFIG = 'configs/prenet/prenet_100e_rain100l.py'
RAIN14000_CONFIG = 'configs/prenet/prenet_100e_rain14000.py'
RAINTRAINL = 'data/RainTrainL'
#: Where the generated Rain14000 layout is kept between runs.
LAYOUT_ROOT = osp.join(tempfile.gettempdir(), 'mmderain_bench_rain14000')
#: The check's cost may be at most this share of one epoch.
EPOCH_SHARE_LIMIT = 0.05
# The generated layout: Rain14000's counts, RainTrainL's image sizes (one
# clean image in four portrait) and JPEG quality 90.
_FULL_LAYOUT = dict(num_clean=1000, rain_types=14, size=(321, 481),
                    quality=90)
# Quick: one grid patch per pair; ids past 900 make the test split.
_QUICK_LAYOUT = dict(num_clean=4, rain_types=1, size=(100, 120),
                     quality=90, first_id=899)
_LAYOUT_FILE = 'layout.json'


def _background(rng: np.random.Generator, size: Tuple[int, int]) -> np.ndarray:
    """A clean image with natural-image statistics to first order: smooth
    colour regions, mid-scale texture and fine grain (so JPEG sizes are
    those of photographs, not of flat or white-noise images)."""
    height, width = size
    image = np.zeros((height, width, 3), np.float32)
    for cells, amplitude in ((4, 90.0), (24, 30.0), (96, 10.0)):
        grid = rng.normal(0, amplitude, (cells, cells * width // height + 1,
                                         3)).astype(np.float32)
        image += cv2.resize(grid, (width, height),
                            interpolation=cv2.INTER_CUBIC)
    image += rng.normal(0, 4, image.shape).astype(np.float32)
    return np.clip(image + 120, 0, 255)


def _streaks(rng: np.random.Generator, size: Tuple[int, int],
             rain_type: int) -> np.ndarray:
    """A rain layer: sparse drops blurred along a line whose length and
    angle depend on the rain type."""
    height, width = size
    length = 9 + 2 * (rain_type % 7)
    angle = np.deg2rad(-20 + 40 * (rain_type % 5) / 4)
    kernel = np.zeros((length, length), np.float32)
    centre = (length - 1) / 2
    offset = centre * np.array([np.sin(angle), np.cos(angle)])
    cv2.line(kernel, tuple(np.round(centre - offset).astype(int)),
             tuple(np.round(centre + offset).astype(int)), 1.0, 1)
    kernel /= kernel.sum()
    drops = (rng.random((height, width)) < 0.004 * (1 + rain_type % 3))
    layer = cv2.filter2D(drops.astype(np.float32) * 255 * length, -1, kernel)
    return np.minimum(layer, 160)[..., None]


def _write_jpeg(path: str, image: np.ndarray, quality: int) -> None:
    if not cv2.imwrite(path, np.clip(image, 0, 255).astype(np.uint8),
                       [cv2.IMWRITE_JPEG_QUALITY, quality]):
        raise OSError(f'benchmark: cannot write "{path}".')


def make_rain14000_layout(root: str,
                          num_clean: int = 1000,
                          rain_types: int = 14,
                          size: Tuple[int, int] = (321, 481),
                          quality: int = 90,
                          first_id: int = 1,
                          seed: int = 0) -> str:
    """Write (or reuse) a folder in Rain14000's layout.

    ``root/ground_truth/<id>.jpg`` and ``root/rainy_image/<id>_<type>.jpg``
    for ``num_clean`` ids from ``first_id`` and ``rain_types`` types, as
    :class:`~mmderain.datasets.Rain14000Dataset` reads it. Every fourth
    clean image (and its rainy images) is portrait (``size`` transposed).
    A folder whose ``layout.json`` records the same arguments is reused;
    the file is written last, so an interrupted generation is redone.

    Args:
        root (str): The folder.
        num_clean (int): Clean images. Defaults to 1000.
        rain_types (int): Rainy images per clean image. Defaults to 14.
        size (tuple[int, int]): ``(height, width)`` of the landscape
            images. Defaults to (321, 481).
        quality (int): JPEG quality. Defaults to 90.
        first_id (int): The first clean id. Defaults to 1.
        seed (int): Seed of the image content. Defaults to 0.

    Returns:
        str: ``root``.
    """
    layout = dict(num_clean=num_clean, rain_types=rain_types,
                  size=list(size), quality=quality, first_id=first_id,
                  seed=seed)
    record = osp.join(root, _LAYOUT_FILE)
    if osp.isfile(record):
        with open(record) as file:
            if json.load(file) == layout:
                return root
        os.remove(record)
    clean_dir = osp.join(root, 'ground_truth')
    rainy_dir = osp.join(root, 'rainy_image')
    os.makedirs(clean_dir, exist_ok=True)
    os.makedirs(rainy_dir, exist_ok=True)
    rng = np.random.default_rng(seed)
    for clean_id in range(first_id, first_id + num_clean):
        shape = size if clean_id % 4 else size[::-1]
        clean = _background(rng, shape)
        _write_jpeg(osp.join(clean_dir, f'{clean_id}.jpg'), clean, quality)
        for rain_type in range(1, rain_types + 1):
            _write_jpeg(
                osp.join(rainy_dir, f'{clean_id}_{rain_type}.jpg'),
                clean + _streaks(rng, shape, rain_type), quality)
    with open(record, 'w') as file:
        json.dump(layout, file)
    return root


def paper_datasets(config: str,
                   data_root: Optional[str] = None) -> List[Tuple[str, dict]]:
    """The datasets a run of ``config`` builds before its first iteration:
    the training set, and the validation set where its folder exists.

    Args:
        config (str): Config file.
        data_root (str, optional): Replaces both datasets' ``data_root``.

    Returns:
        list[tuple[str, dict]]: ``(split, dataset config)``.
    """
    cfg = Config.fromfile(config)
    datasets = []
    for split, loader in (('train', cfg.train_dataloader),
                          ('val', cfg.val_dataloader)):
        dataset = loader.dataset.to_dict()
        if data_root is not None:
            dataset['data_root'] = data_root
        if split == 'train' or osp.isdir(dataset['data_root']):
            datasets.append((split, dataset))
    return datasets


def evict_from_page_cache(paths: Sequence[str]) -> None:
    """Drop the cached pages of ``paths`` (written back first), so that
    the next read comes from the disk (Linux: ``os.posix_fadvise``)."""
    for path in paths:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            # Dirty pages (a freshly generated layout) are not dropped.
            os.fsync(descriptor)
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(descriptor)


def _pairs_of(dataset) -> List[Tuple[str, str, str]]:
    return [(key, rainy, clean)
            for key, rainy, clean, _ in dataset.collect_pairs()]


def _checked(pairs: List[Tuple[str, str, str]]) -> None:
    report = inspect_pairs(pairs)
    if report.problems:
        raise ValueError(f'benchmark: the check found problems: '
                         f'{report.problems[0]}')


def check_timings(ctx: BenchContext,
                  datasets: List[Tuple[str, dict]]) -> Dict[str, object]:
    """Time the check and the builds of ``datasets``, summed over them.

    Returns:
        dict: ``check``, ``with_check``, ``without_check`` (warm page
        cache, CPU time, medians of interleaved rounds), ``cold_check``
        (wall time after evicting the files; None where that is not
        possible), ``pairs``, ``files`` and ``train_length``.
    """
    rounds = max(1, ctx.rounds)
    totals = dict(check=0.0, with_check=0.0, without_check=0.0)
    cold: Optional[float] = 0.0 if hasattr(os, 'posix_fadvise') else None
    num_pairs = 0
    files: List[str] = []
    train_length = 0
    for split, dataset_cfg in datasets:
        built = DATASETS.build(dict(dataset_cfg, check_pairs=False))
        if split == 'train':
            train_length = len(built)
        pairs = _pairs_of(built)
        num_pairs += len(pairs)
        paths = list(dict.fromkeys(p for _, *both in pairs for p in both))
        files += paths
        times = interleave(
            dict(check=lambda: _checked(pairs),
                 with_check=lambda: DATASETS.build(
                     dict(dataset_cfg, check_pairs=True)),
                 without_check=lambda: DATASETS.build(
                     dict(dataset_cfg, check_pairs=False))),
            rounds, warmup=1, device='cpu')
        for name, values in times.items():
            totals[name] += median(values)
        if cold is not None:
            cold_times = []
            for _ in range(min(rounds, 3)):
                evict_from_page_cache(paths)
                start = time.perf_counter()
                _checked(pairs)
                cold_times.append(time.perf_counter() - start)
            cold += median(cold_times)
    return dict(totals, cold_check=cold, pairs=num_pairs, files=len(files),
                train_length=train_length)


def paper_step_time(
        ctx: BenchContext,
        config: str = RAIN100L_CONFIG) -> Tuple[float, int, int, str]:
    """Seconds of one training step of the paper's network, batch and
    patch on ``ctx.device``, the batch size, the patch size and how it was
    measured.

    Quick: a one-stage network on batches of 2 of 16x16.
    """
    cfg = Config.fromfile(config)
    batch_size = cfg.train_dataloader.batch_size
    patch = cfg.train_dataloader.dataset.patch_grid['size']
    if ctx.quick:
        cfg.model.generator.num_stages = 1
        batch_size, patch = 2, 16
    model = MODELS.build(cfg.model).to(ctx.device)
    inputs, targets = preprocessed(model, synthetic_batch(batch_size, patch),
                                   ctx.device)
    step = plain_step(model.generator, model.pixel_loss, inputs, targets)
    rounds = max(1, min(ctx.rounds, 2))
    times = interleave(dict(step=step), rounds, warmup=1, device=ctx.device)
    how = ('plain PyTorch step (forward, negative SSIM, backward, Adam) of '
           f'the config\'s model: median of {rounds} after 1 warm-up, '
           f'{clock_label(ctx.device)}')
    return median(times['step']), batch_size, patch, how


def _layouts(ctx: BenchContext) -> List[Tuple[str, str, Optional[str],
                                              str]]:
    """``(label, config, data_root, where)`` of each measured layout:
    ``data_root`` replaces the config's (None: the config's own, '': the
    folder is missing)."""
    if ctx.quick:
        root = make_rain14000_layout(
            osp.join(ctx.work_dir, 'rain14000_quick'), **_QUICK_LAYOUT)
        where = ('generated Rain14000 layout (quick: ids 899-902, 1 rain '
                 'type, 120x100 JPEG)')
    else:
        root = make_rain14000_layout(LAYOUT_ROOT, **_FULL_LAYOUT)
        where = (f'generated Rain14000 layout in {root} (1,000 clean + '
                 '14,000 rainy JPEGs, 481x321 / 321x481, quality 90)')
    return [('RainTrainL', RAIN100L_CONFIG,
             None if osp.isdir(RAINTRAINL) else '', f'{RAINTRAINL} (PNG)'),
            ('Rain14000 layout', RAIN14000_CONFIG, root, where)]


def dataset_check_suite(ctx: BenchContext) -> Tuple[List[dict], List[dict]]:
    """The check on RainTrainL and on a generated Rain14000 layout, the
    builds with and without it, and its share of one paper epoch."""
    step, batch_size, patch, step_how = paper_step_time(ctx)
    figures, targets = [], []

    def figure(name: str, value, unit: str, source: str, note: str) -> None:
        figures.append(
            make_figure('dataset_check', name, value, unit,
                        device='cpu', threads=ctx.threads, source=source,
                        note=note))

    figures.append(
        make_figure('dataset_check', 'paper training step', step, 's/iter',
                    device=ctx.device, threads=ctx.threads, batch=batch_size,
                    patch=f'{patch}x{patch}', source=RAIN100L_CONFIG,
                    note=step_how))
    for label, config, data_root, where in _layouts(ctx):
        if data_root == '':
            figure(f'{label}: check', None, 's', config, f'{where} missing')
            targets.append(
                make_target(f'check / one epoch ({label})', None,
                            EPOCH_SHARE_LIMIT, unit='', device=ctx.device,
                            detail=f'{where} missing'))
            continue
        datasets = paper_datasets(config, data_root)
        found = check_timings(ctx, datasets)
        loader_batch = Config.fromfile(config).train_dataloader.batch_size
        iterations = math.ceil(found['train_length'] / loader_batch)
        epoch = iterations * step
        splits = ' + '.join(split for split, _ in datasets)
        what = (f"{where}; {splits}: {found['pairs']} pairs, "
                f"{found['files']} files")
        warm = f'warm page cache, median of {max(1, ctx.rounds)} interleaved'
        figure(f'{label}: check', found['check'], 's', config,
               f'{what}; {warm}, CPU time')
        figure(f'{label}: build with the check', found['with_check'], 's',
               config, f'{warm}, CPU time')
        figure(f'{label}: build with check_pairs=False',
               found['without_check'], 's', config,
               f'{warm}, CPU time; patch_grid reads the headers either way')
        cold = found['cold_check']
        figure(f'{label}: check, cold page cache', cold, 's', config,
               'files evicted by posix_fadvise first, wall time'
               if cold is not None else 'posix_fadvise not available')
        figure(f'{label}: iterations per epoch', iterations, 'iter', config,
               f"ceil({found['train_length']} training patches / batch "
               f'{loader_batch})')
        cost = found['check'] if cold is None else max(cold, found['check'])
        figure(f'{label}: break-even step time',
               cost / (EPOCH_SHARE_LIMIT * iterations), 's/iter', config,
               'a step faster than this would put the check over '
               f'{EPOCH_SHARE_LIMIT:.0%} of an epoch')
        targets.append(
            make_target(f'check / one epoch ({label})', cost / epoch,
                        EPOCH_SHARE_LIMIT, unit='', device=ctx.device,
                        detail=f'{cost:.3g} s check '
                        f"({'cold' if cold is not None else 'warm'} cache) "
                        f'over {iterations} iterations x {step:.3g} s '
                        f'measured step ({ctx.device})'))
    return figures, targets
