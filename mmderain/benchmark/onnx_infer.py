"""ONNX: onnxruntime against PyTorch, time per megapixel on the CPU.

Each model is exported with :func:`mmderain.apis.deployment.export_onnx`
and both runs go through :func:`mmderain.apis.derain_image` on the same
image, the PyTorch model and the :class:`OnnxDerainer` interleaved, so the
figures differ only by the engine. onnxruntime runs with torch's thread
count; the clock is the process's CPU time, which counts the threads of
both engines.
"""
import os.path as osp
from typing import List, Tuple

from mmderain.apis import derain_image
from .context import BenchContext
from .infer import AGLF_VIT_CONFIG, PRENET_CONFIG, _image, _model
from .measure import clock_label, interleave, median
from .report import make_figure

ONNX_RUNS = (('PReNet (6 stages)', 'prenet', PRENET_CONFIG),
             ('AGLF-ViT', 'aglf_vit', AGLF_VIT_CONFIG))
ENGINES = ('PyTorch', 'onnxruntime')


def _unmeasured(ctx: BenchContext, reason: str) -> List[dict]:
    return [
        make_figure('onnx', f'{label}: {engine}', None, 's/MP',
                    device=ctx.device, threads=ctx.threads, batch=1,
                    source=config, note=reason)
        for label, _, config in ONNX_RUNS for engine in ENGINES
    ]


def onnx_model(ctx: BenchContext, label: str, name: str,
               config: str) -> List[dict]:
    """Figures of one model: both engines and their ratio."""
    from mmderain.apis.deployment import OnnxDerainer, export_onnx
    size = 64 if ctx.quick else 512
    model = _model(config, 'cpu', None)
    onnx_file = osp.join(ctx.work_dir, f'{name}.onnx')
    diffs = export_onnx(model, None, onnx_file, verify_sizes=[(size, size)],
                        dynamic_batch=False)
    engines = dict(zip(ENGINES, (model, OnnxDerainer(onnx_file))))
    img = _image(size, size)
    times = interleave(
        {
            engine: (lambda m=m: derain_image(m, img, tile=0))
            for engine, m in engines.items()
        },
        min(ctx.rounds, 3),
        warmup=1)
    megapixels = size * size / 1e6
    per_mp = {engine: median(values) / megapixels
              for engine, values in times.items()}
    note = (f'untrained weights; median of {min(ctx.rounds, 3)} '
            f'({clock_label("cpu")}); onnxruntime max abs diff '
            f'{max(diffs.values()):.2g}')
    source = f'{config}, mmderain.apis.derain_image'
    common = dict(device='cpu', threads=ctx.threads, batch=1,
                  patch=f'{size}x{size}', note=note)
    figures = [
        make_figure('onnx', f'{label}: {engine} derain_image', value,
                    's/MP', source=source if engine == 'PyTorch' else
                    f'{onnx_file}, OnnxDerainer', **common)
        for engine, value in per_mp.items()
    ]
    figures.append(
        make_figure('onnx', f'{label}: onnxruntime / PyTorch time',
                    per_mp['onnxruntime'] / per_mp['PyTorch'], 'x',
                    source=source, **common))
    return figures


def onnx_suite(ctx: BenchContext) -> Tuple[List[dict], List[dict]]:
    """onnxruntime and PyTorch side by side for the demo PReNet and the
    paper-size AGLF-ViT on a 512x512 image (64x64 with ``quick``).

    onnxruntime's CPU package runs on the CPU only, so a GPU run reports
    the figures as not measured, with the reason.
    """
    if ctx.device != 'cpu':
        return _unmeasured(ctx, 'onnxruntime (CPU package) runs on the '
                           'CPU: see the cpu run'), []
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError as error:
        return _unmeasured(ctx, f'not installed: {error}'), []
    figures = []
    for label, name, config in ONNX_RUNS:
        figures += onnx_model(ctx, label, name, config)
    return figures, []
