"""Run an exported de-raining network with onnxruntime.

:class:`OnnxDerainer` has the call shape of the PyTorch model inside
:func:`mmderain.apis.derain_image`: a ``data_preprocessor`` with the
model's ``mean`` and ``std``, and ``model(x, mode='tensor')`` returning the
network's output tensor. ``derain_image``, its tiling and ``derain_files``
therefore run an ``.onnx`` file as they run a checkpoint.
"""
import json
import os.path as osp
from typing import Optional, Union

import torch
from mmengine.config import Config
from torch import Tensor

from mmagic.registry import MODELS
from mmderain.utils.renamed_configs import load_config
from .onnx_export import INPUT_NAME, METADATA_KEY, OUTPUT_NAME

PROVIDERS = dict(cpu='CPUExecutionProvider', cuda='CUDAExecutionProvider')


def _import_onnxruntime():
    try:
        import onnxruntime
    except ImportError as error:
        raise ImportError('Running .onnx models needs onnxruntime: '
                          'pip install onnxruntime') from error
    return onnxruntime


class OnnxDerainer:
    """An ONNX file written by :func:`~mmderain.apis.deployment.export_onnx`
    behind the interface :func:`~mmderain.apis.derain_image` uses.

    Example::

        >>> from mmderain.apis import derain_image, read_image
        >>> model = OnnxDerainer('prenet.onnx')
        >>> clean = derain_image(model, read_image('rainy.jpg'), tile=768)

    Args:
        onnx_file (str): The exported file.
        device (str, optional): ``'cpu'`` (default when None) or
            ``'cuda'`` (needs the onnxruntime-gpu package).
        num_threads (int, optional): onnxruntime's intra-op threads; None
            uses torch's thread count, so both run on the same cores.

    Raises:
        FileNotFoundError: ``onnx_file`` does not exist.
        ValueError: The file is no ONNX model onnxruntime can load, was
            not written by ``export_onnx``, or ``device`` is unavailable.
    """

    def __init__(self,
                 onnx_file: str,
                 device: Optional[str] = None,
                 num_threads: Optional[int] = None) -> None:
        ort = _import_onnxruntime()
        if not osp.isfile(onnx_file):
            raise FileNotFoundError(f'ONNX file not found: {onnx_file}')
        device = device or 'cpu'
        kind = device.split(':')[0]
        provider = PROVIDERS.get(kind)
        if provider not in ort.get_available_providers():
            raise ValueError(
                f'--device {device}: onnxruntime {ort.__version__} offers '
                f'{ort.get_available_providers()}, not {provider or kind}.')
        options = ort.SessionOptions()
        options.intra_op_num_threads = num_threads or torch.get_num_threads()
        try:
            self.session = ort.InferenceSession(
                onnx_file, options, providers=[provider])
        except Exception as error:  # onnxruntime's errors share no base
            raise ValueError(f'{onnx_file}: onnxruntime cannot load it: '
                             f'{error}') from error
        meta = self.session.get_modelmeta().custom_metadata_map
        if METADATA_KEY not in meta:
            raise ValueError(
                f'{onnx_file}: no {METADATA_KEY!r} metadata, so its '
                'normalization is unknown; export it with '
                'tools/deployment/pytorch2onnx.py.')
        self.onnx_file = onnx_file
        self.metadata = json.loads(meta[METADATA_KEY])
        self.min_size = int(self.metadata['min_size'])
        self.data_preprocessor = MODELS.build(
            dict(type='DataPreprocessor', mean=self.metadata['mean'],
                 std=self.metadata['std']))

    def __call__(self, inputs: Tensor, mode: str = 'tensor') -> Tensor:
        """Run the network on normalized images.

        Args:
            inputs (Tensor): float (N, 3, H, W), normalized as the model's
                data preprocessor does; H and W at least ``min_size``.
            mode (str): Only ``'tensor'`` (the network's output).

        Returns:
            Tensor: float32 (N, 3, H, W) on the device of ``inputs``.

        Raises:
            ValueError: A side is below ``min_size``.
            RuntimeError: onnxruntime fails on the input.
        """
        if mode != 'tensor':
            raise ValueError(
                f"OnnxDerainer runs mode='tensor' only, got {mode!r}.")
        height, width = inputs.shape[-2:]
        if min(height, width) < self.min_size:
            raise ValueError(
                f'{self.onnx_file}: a {height}x{width} input is below the '
                f'smallest side the graph was traced for ({self.min_size}; '
                'see mmderain.apis.deployment.min_input_size).')
        array = inputs.detach().to('cpu', torch.float32).numpy()
        try:
            (out, ) = self.session.run([OUTPUT_NAME], {INPUT_NAME: array})
        except Exception as error:  # onnxruntime's errors share no base
            raise RuntimeError(
                f'{self.onnx_file}: onnxruntime failed on a {height}x{width} '
                f'input: {error}') from error
        return torch.from_numpy(out).to(inputs.device)


def init_onnx_model(onnx_file: str,
                    config: Union[str, Config, None] = None,
                    device: Optional[str] = None) -> OnnxDerainer:
    """Open ``onnx_file`` and check that it holds the generator of
    ``config`` (when given, as ``init_model`` takes it).

    Raises:
        ValueError: The file was exported from a different generator.
    """
    model = OnnxDerainer(onnx_file, device)
    if isinstance(config, str):
        config = load_config(config)
    exported = model.metadata.get('generator_cfg')
    if config is not None and exported is not None:
        wanted = _as_json(config.model.get('generator'))
        if wanted != exported:
            raise ValueError(
                f'{onnx_file} holds the generator {exported}, but the '
                f'config asks for {wanted}.')
    return model


def _as_json(value: object) -> object:
    """``value`` as the metadata stores it (tuples become lists)."""
    return json.loads(json.dumps(value, default=str))
