"""Inference: time and peak memory per megapixel through the public API.

The target: de-raining a 4000x3000 image adds under 2 GB of memory
on the CPU (tiling and inference mode, in ``mmderain.apis.derain_image``)
and costs no more per megapixel than a 512x512 image, within 10%. Every
large-image figure comes from a fresh process, so the memory high-water
mark is that image's alone.
"""
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch

from mmderain.apis import derain_image, init_model
from .context import BenchContext
from .measure import (PeakMemory, clock_label, interleave, median,
                      run_in_subprocess, step_clock)
from .report import make_figure, make_target

PRENET_CONFIG = 'configs/prenet/prenet_b4-p64_800i_rendered-mix.py'
AGLF_VIT_CONFIG = 'configs/ttl/aglf-vit_v2_100k_rain1200.py'


def _model(config: str, device: str, num_stages: Optional[int]):
    from mmengine.config import Config
    cfg = Config.fromfile(config)
    if num_stages is not None:
        cfg.model.generator.num_stages = num_stages
    torch.manual_seed(0)
    return init_model(cfg, None, device)


def _image(height: int, width: int) -> np.ndarray:
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (height, width, 3), dtype=np.uint8)


def large_image_run(config: str, device: str, height: int, width: int,
                    num_stages: Optional[int] = None,
                    tile: Optional[int] = None) -> Dict[str, object]:
    """De-rain one random ``height`` x ``width`` image with the API's
    defaults (run it in a fresh process) and return seconds and the peak
    memory added (bytes; None where unmeasurable)."""
    model = _model(config, device, num_stages)
    img = _image(height, width)
    clock = step_clock(device)
    with PeakMemory(device) as peak:
        start = clock()
        derain_image(model, img, tile=tile)
        if device.startswith('cuda'):
            torch.cuda.synchronize()
        seconds = clock() - start
    return dict(seconds=seconds, peak=peak.peak_bytes, exact=peak.exact)


def small_image_times(ctx: BenchContext, config: str, size: int,
                      num_stages: Optional[int]) -> Dict[str, List[float]]:
    """Interleaved times of a ``size`` x ``size`` image: through the API,
    and the bare network under ``no_grad`` and ``inference_mode``."""
    model = _model(config, ctx.device, num_stages)
    img = _image(size, size)
    x = torch.rand(1, 3, size, size, device=ctx.device)

    def with_no_grad() -> None:
        with torch.no_grad():
            model(x, mode='tensor')

    def with_inference_mode() -> None:
        with torch.inference_mode():
            model(x, mode='tensor')

    steps = {
        'derain_image': lambda: derain_image(model, img, tile=0),
        'network under torch.no_grad': with_no_grad,
        'network under torch.inference_mode': with_inference_mode,
    }
    # Whole-image passes are long on the CPU: three rounds give a median.
    return interleave(steps, min(ctx.rounds, 3), warmup=1, device=ctx.device)


def infer_model(ctx: BenchContext, label: str, config: str,
                num_stages: Optional[int] = None,
                large: bool = True) -> Tuple[List[dict], List[dict]]:
    """Figures (and, with ``large``, targets) of one model."""
    small = 64 if ctx.quick else 512
    height, width = (96, 128) if ctx.quick else (3000, 4000)
    tile = 48 if ctx.quick else None
    times = small_image_times(ctx, config, small, num_stages)
    megapixels = small * small / 1e6
    source = f'{config}, mmderain.apis.derain_image'
    model_note = ('untrained weights' if num_stages is None else
                  f'num_stages={num_stages}, untrained weights')
    figures = [
        make_figure('infer', f'{label}: {name}', median(values) / megapixels,
                    's/MP', device=ctx.device, threads=ctx.threads, batch=1,
                    patch=f'{small}x{small}', source=source,
                    note=f'{model_note}; median of {len(values)} '
                    f'({clock_label(ctx.device)})')
        for name, values in times.items()
    ]
    if not large:
        return figures, []
    small_per_mp = median(times['derain_image']) / megapixels
    result = run_in_subprocess(large_image_run, config, ctx.device, height,
                               width, num_stages, tile)
    large_per_mp = result['seconds'] / (height * width / 1e6)
    peak = result['peak']
    note = (f'{model_note}; one run, fresh process, API default tiling '
            f'({clock_label(ctx.device)})')
    figures += [
        make_figure('infer', f'{label}: derain_image', large_per_mp, 's/MP',
                    device=ctx.device, threads=ctx.threads, batch=1,
                    patch=f'{width}x{height}', source=source, note=note),
        make_figure('infer', f'{label}: peak memory added',
                    None if peak is None else peak / 2**30, 'GiB',
                    device=ctx.device, threads=ctx.threads, batch=1,
                    patch=f'{width}x{height}', source=source,
                    note=note + ('' if result['exact'] else ', upper bound')),
    ]
    targets = [
        make_target(f'{label}: {width}x{height} time/MP over {small}x{small}',
                    large_per_mp / small_per_mp, 1.10, device=ctx.device,
                    detail=note),
        make_target(f'{label}: {width}x{height} peak memory added',
                    None if peak is None else peak / 2**30, 2.0,
                    unit='GiB', device=ctx.device, detail=note),
    ]
    return figures, targets


def infer_suite(ctx: BenchContext) -> Tuple[List[dict], List[dict]]:
    """Time per megapixel of the demo PReNet and the paper-size AGLF-ViT on
    a small image; the large-image targets with PReNet.

    On the CPU the large image runs a one-stage PReNet (same layers, so the
    same activations per tile: stages run one after the other) for both
    sizes of the ratio: the six-stage network would take most of an hour
    on two cores. On a GPU the demo network itself runs.
    """
    figures, targets = [], []
    on_gpu = ctx.device.startswith('cuda')
    runs = [('PReNet (6 stages)', PRENET_CONFIG, None, on_gpu),
            ('AGLF-ViT', AGLF_VIT_CONFIG, None, False)]
    if not on_gpu:
        runs.append(('PReNet (1 stage)', PRENET_CONFIG, 1, True))
    if ctx.quick:
        runs = [('PReNet (1 stage)', PRENET_CONFIG, 1, True)]
    for label, config, stages, large in runs:
        more_figures, more_targets = infer_model(ctx, label, config, stages,
                                                 large)
        figures += more_figures
        targets += more_targets
    return figures, targets
