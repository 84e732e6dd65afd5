"""Export a de-raining network to ONNX with dynamic batch, height and width.

The network exported is the model's generator, i.e. what
``model(x, mode='tensor')`` runs inside :func:`mmderain.apis.derain_image`:
it takes and returns float32 (N, 3, H, W) RGB images normalized by the
model's data preprocessor. The preprocessor's mean and std travel in the
file's metadata (key :data:`METADATA_KEY`), so that
:class:`~mmderain.apis.deployment.OnnxDerainer` and applications can
(de)normalize as the PyTorch model does.

The graph is traced with PyTorch's TorchScript-based exporter
(``torch.onnx.export(..., dynamo=False)``), which needs only the ``onnx``
package. The torch.export-based exporter, torch's default, also needs
``onnxscript``; it exports AGLF-ViT but specializes the window partition
to the example's batch and size, so that onnxruntime fails at any other
shape. Tracing records shape arithmetic, but a Python ``if`` on a shape is
fixed to the branch the example takes; the exporter therefore

- traces at :data:`EXPORT_SIZE`, whose sides no window size divides, so
  AGLF-ViT's padding to a multiple of its window stays in the graph;
- replaces ``nn.AdaptiveAvgPool2d`` (the SPP decoder's pyramid), which the
  exporter supports only for static sizes that the grid divides, by the
  same average written as two products with pooling matrices built from
  the input size (:class:`DynamicAdaptiveAvgPool2d`);
- records the smallest image side for which the traced branches are the
  ones PyTorch takes (:func:`min_input_size`);
- runs the file with onnxruntime at other sizes and compares it with
  PyTorch (:func:`verify_onnx`).
"""
import copy
import json
import os
import os.path as osp
import warnings
from typing import Dict, Optional, Sequence, Tuple, Union

import numpy as np
import torch
import torch.nn as nn
from mmengine.config import Config
from torch import Tensor

from mmderain.models.editors.aglf_vit.aglf_vit_encoder import AGLFViTEncoder
from mmderain.utils.renamed_configs import load_config
from mmderain.version import __version__

DEFAULT_OPSET = 17
# Prime sides: no window size other than themselves divides them, so the
# traced graph keeps the padding branch of window-attention encoders.
EXPORT_SIZE = (67, 61)
# Sizes checked after the export: one that needs no padding for an
# 8-pixel window and one odd size, both unlike the traced example.
VERIFY_SIZES = ((64, 48), (45, 83))
# onnxruntime and PyTorch run the same float32 operations in different
# orders and kernels. On crops of up to 512x512 of three real rainy photos
# (untrained weights, [0, 1] scale) the exported networks differed from
# PyTorch by at most 1.2e-7 (PReNet, 6 stages), 1.2e-6 (demo AGLF-ViT)
# and 2.0e-6 (paper-size AGLF-ViT); 1e-4, 1/40 of a grey level, leaves a
# 50-fold margin. The uint8 results then differ by at most one level,
# where a value lies at a rounding boundary.
DEFAULT_ATOL = 1e-4
METADATA_KEY = 'mmderain'
INPUT_NAME = 'input'
OUTPUT_NAME = 'output'


class DynamicAdaptiveAvgPool2d(nn.Module):
    """``nn.AdaptiveAvgPool2d`` as two matrix products, for ONNX export.

    Bin ``i`` of an axis of length ``L`` averages the pixels
    ``floor(i * L / s)`` to ``ceil((i + 1) * L / s) - 1``, as PyTorch's
    adaptive pooling does; the pooling matrices are built from the traced
    input size, so the graph holds for any height and width.

    Args:
        output_size (int | tuple[int, int]): Output grid, as for
            ``nn.AdaptiveAvgPool2d`` (None entries are not supported).
    """

    def __init__(self, output_size: Union[int, Tuple[int, int]]) -> None:
        super().__init__()
        if isinstance(output_size, int):
            output_size = (output_size, output_size)
        if any(size is None for size in output_size):
            raise ValueError(
                'DynamicAdaptiveAvgPool2d: output_size entries must be '
                f'integers, got {output_size}.')
        self.output_size = tuple(output_size)

    @staticmethod
    def _matrix(length: Union[int, Tensor], bins: int, like: Tensor) -> Tensor:
        index = torch.arange(bins, device=like.device)
        start = index * length // bins
        end = ((index + 1) * length + bins - 1) // bins
        position = torch.arange(length, device=like.device)
        inside = (position >= start[:, None]) & (position < end[:, None])
        return inside.to(like.dtype) / (end - start)[:, None].to(like.dtype)

    def forward(self, x: Tensor) -> Tensor:
        height, width = x.shape[-2:]
        rows = self._matrix(height, self.output_size[0], x)
        cols = self._matrix(width, self.output_size[1], x)
        return rows @ x @ cols.transpose(0, 1)


def exportable_copy(network: nn.Module) -> nn.Module:
    """A copy of ``network`` whose adaptive average pools trace for any
    input size (see :class:`DynamicAdaptiveAvgPool2d`); global pools
    (output 1x1) are kept, as they export as ``GlobalAveragePool``."""
    network = copy.deepcopy(network)
    for module in list(network.modules()):
        for name, child in module.named_children():
            if (isinstance(child, nn.AdaptiveAvgPool2d)
                    and child.output_size not in (1, (1, 1))):
                setattr(module, name,
                        DynamicAdaptiveAvgPool2d(child.output_size))
    return network


def min_input_size(network: nn.Module) -> int:
    """The smallest image side for which the traced graph matches PyTorch.

    AGLF-ViT's window attention takes shape-dependent branches: an image
    side of at most one window is padded by replication instead of
    reflection and its windows are not shifted. The traced graph keeps the
    branches of the (larger) example, so it needs sides above the window.

    Returns:
        int: 1 for purely convolutional networks such as PReNet.
    """
    sizes = [
        module.pad_multiple + 1 for module in network.modules()
        if isinstance(module, AGLFViTEncoder) and module.pad_multiple > 1
    ]
    return max(sizes, default=1)


def _check_export_size(network: nn.Module, size: Tuple[int, int]) -> None:
    for module in network.modules():
        if isinstance(module, AGLFViTEncoder) and module.pad_multiple > 1:
            multiple = module.pad_multiple
            if min(size) <= multiple or not all(s % multiple for s in size):
                raise ValueError(
                    f'input_size={size}: tracing AGLF-ViT needs sides above '
                    f'and not multiples of its window ({multiple}), or the '
                    'graph loses its padding branch; e.g. '
                    f'{EXPORT_SIZE}.')


def _generator_of(model: nn.Module) -> Tuple[nn.Module, dict]:
    """The network behind ``model(x, mode='tensor')`` and the metadata."""
    generator = getattr(model, 'generator', None)
    preprocessor = getattr(model, 'data_preprocessor', None)
    mean = getattr(preprocessor, 'mean', None)
    std = getattr(preprocessor, 'std', None)
    if not isinstance(generator, nn.Module) or mean is None or std is None:
        raise ValueError(
            f'{type(model).__name__} is not an image-to-image model with a '
            '`generator` and a normalizing `data_preprocessor` (e.g. '
            'BaseEditModel, TTLRestorer); only de-raining models export.')
    metadata = dict(
        mmderain_version=__version__,
        generator=type(generator).__name__,
        mean=mean.flatten().tolist(),
        std=std.flatten().tolist(),
        channel_order='rgb',
        min_size=min_input_size(generator))
    cfg = getattr(model, 'cfg', None)
    if cfg is not None and 'model' in cfg:
        metadata['generator_cfg'] = cfg.model.get('generator')
    return generator, metadata


def _load_model(config: Union[str, Config], checkpoint: Optional[str],
                cfg_options: Optional[dict]) -> nn.Module:
    from mmderain.apis.inference import init_model
    if isinstance(config, str):
        config = load_config(config)
    if cfg_options:
        config.merge_from_dict(cfg_options)
    return init_model(config, checkpoint, device='cpu')


def verify_onnx(network: nn.Module,
                onnx_file: str,
                sizes: Sequence[Tuple[int, int]] = VERIFY_SIZES,
                batch: int = 1,
                seed: int = 0) -> Dict[str, float]:
    """Largest absolute difference of onnxruntime's and PyTorch's outputs.

    Args:
        network (nn.Module): The network exported (in eval mode).
        onnx_file (str): The exported file.
        sizes (Sequence[tuple[int, int]]): Input heights and widths.
        batch (int): Images per input. Default: 1.
        seed (int): Seed of the uniform random inputs. Default: 0.

    Returns:
        dict[str, float]: ``'NxCxHxW'`` -> max abs difference.
    """
    from .onnx_runtime import OnnxDerainer
    runner = OnnxDerainer(onnx_file)
    generator = torch.Generator().manual_seed(seed)
    device = next(network.parameters()).device
    diffs = {}
    for height, width in sizes:
        x = torch.rand(batch, 3, height, width, generator=generator)
        with torch.no_grad():
            expected = network(x.to(device)).cpu()
        got = runner(x)
        diffs['x'.join(map(str, x.shape))] = float(
            (got - expected).abs().max())
    return diffs


def export_onnx(model: Union[str, Config, nn.Module],
                checkpoint: Optional[str],
                out_file: str,
                opset: int = DEFAULT_OPSET,
                input_size: Tuple[int, int] = EXPORT_SIZE,
                dynamic_batch: bool = True,
                verify_sizes: Sequence[Tuple[int, int]] = VERIFY_SIZES,
                atol: float = DEFAULT_ATOL,
                cfg_options: Optional[dict] = None) -> Dict[str, float]:
    """Export the de-raining network of a model to ONNX.

    Height and width are dynamic axes (and the batch, with
    ``dynamic_batch``); sides must be at least the ``min_size`` the file's
    metadata records (:func:`min_input_size`).

    Args:
        model (str | Config | nn.Module): A config (file) to build the
            model from, or a model from :func:`mmderain.apis.init_model`.
        checkpoint (str, optional): Checkpoint to load into a model built
            from a config; must be None when ``model`` is a module.
        out_file (str): The ``.onnx`` file to write.
        opset (int): ONNX opset version. Default: 17 (the first with
            ``LayerNormalization``).
        input_size (tuple[int, int]): Height and width of the example
            traced. Default: :data:`EXPORT_SIZE`.
        dynamic_batch (bool): Make the batch axis dynamic. Default: True.
        verify_sizes (Sequence[tuple[int, int]]): Sizes at which
            onnxruntime's output is compared with PyTorch's after the
            export (batch 2 with ``dynamic_batch``); empty to skip.
            Default: :data:`VERIFY_SIZES`.
        atol (float): Largest absolute difference accepted there, on the
            network's (normalized) scale. Default: :data:`DEFAULT_ATOL`.
        cfg_options (dict, optional): Overrides merged into a config.

    Returns:
        dict[str, float]: Max abs difference per verified input shape.

    Raises:
        ImportError: ``onnx`` (or, to verify, ``onnxruntime``) is missing.
        ValueError: The model is no image-to-image model, or onnxruntime
            differs from PyTorch by more than ``atol`` (the file is kept
            for inspection).
    """
    try:
        import onnx
    except ImportError as error:
        raise ImportError('ONNX export needs the onnx package: '
                          'pip install onnx onnxruntime') from error
    if isinstance(model, nn.Module):
        if checkpoint is not None:
            raise ValueError('export_onnx: pass checkpoint=None with a '
                             'model module (its weights are exported).')
    else:
        model = _load_model(model, checkpoint, cfg_options)
    generator, metadata = _generator_of(model)
    network = exportable_copy(generator).cpu().eval()
    input_size = tuple(input_size)
    _check_export_size(network, input_size)
    axes = {2: 'height', 3: 'width'}
    if dynamic_batch:
        axes[0] = 'batch'
    out_dir = osp.dirname(osp.abspath(out_file))
    os.makedirs(out_dir, exist_ok=True)
    example = torch.rand(1, 3, *input_size,
                         generator=torch.Generator().manual_seed(0))
    with warnings.catch_warnings():
        # Tracer warnings name every Python branch on a shape; the export
        # size keeps the branches larger images take, min_size guards the
        # others, and verify_onnx checks the graph at other sizes.
        warnings.simplefilter('ignore', torch.jit.TracerWarning)
        warnings.filterwarnings(
            'ignore', message='You are using the legacy TorchScript-based',
            category=DeprecationWarning)
        with torch.no_grad():
            torch.onnx.export(
                network, (example, ),
                out_file,
                input_names=[INPUT_NAME],
                output_names=[OUTPUT_NAME],
                opset_version=opset,
                dynamic_axes={INPUT_NAME: axes, OUTPUT_NAME: axes},
                dynamo=False)
    proto = onnx.load(out_file)
    entry = proto.metadata_props.add()
    entry.key = METADATA_KEY
    entry.value = json.dumps(metadata, default=str)
    onnx.save(proto, out_file)
    onnx.checker.check_model(out_file)
    diffs = verify_onnx(network, out_file, verify_sizes,
                        batch=2 if dynamic_batch else 1)
    worst = max(diffs.values(), default=0.0)
    if not np.isfinite(worst) or worst > atol:
        raise ValueError(
            f'{out_file}: onnxruntime differs from PyTorch by up to {worst} '
            f'(atol={atol}) at {diffs}; the exported graph does not hold '
            'for these sizes.')
    return diffs
