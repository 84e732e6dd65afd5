"""De-rain images with a trained model, outside of a Runner.

Images follow mmcv's convention: numpy arrays of shape (H, W, 3), dtype
uint8, channels in BGR order, as ``mmcv.imread`` returns them and
``mmcv.imwrite`` expects them (mmagic's inferencers return the same). The
networks themselves are trained on RGB, and the conversion happens here.
"""
import errno
import logging
import os
import os.path as osp
from dataclasses import dataclass, field
from typing import (TYPE_CHECKING, Callable, Dict, List, Optional, Sequence,
                    Union)

import cv2
import mmcv
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.registry import init_default_scope
from mmengine.runner import CheckpointLoader, load_state_dict
from mmengine.utils import ProgressBar
from PIL import Image

from mmagic.registry import MODELS
from mmderain.engine.hooks.checkpoint_fit_hook import (check_weights_fit,
                                                       checkpoint_state_dict)
from mmderain.utils.atomic_files import FileWriteError
from mmderain.utils.images import read_image
from mmderain.utils.renamed_configs import load_config
from .tiling import (DEFAULT_TILE_OVERLAP, auto_tile_size, count_tiles,
                     tiled_apply)

if TYPE_CHECKING:
    from .deployment import OnnxDerainer

ImageInput = Union[str, np.ndarray]
# What init_model returns: a PyTorch model, or an exported network.
Derainer = Union[nn.Module, 'OnnxDerainer']


# Not mmagic.apis.init_model: importing mmagic.apis imports every inferencer
# and their extras (controlnet_aux, ...), and it loads weights non-strictly.
def init_model(config: Union[str, Config],
               checkpoint: Optional[str] = None,
               device: Optional[str] = None,
               strict: bool = True) -> Derainer:
    """Build the model of ``config`` and load ``checkpoint`` into it.

    Args:
        config (str | Config): Config file or object with a ``model`` field.
        checkpoint (str, optional): Checkpoint to load (``state_dict`` of a
            training checkpoint, or a bare state dict), or an ``.onnx``
            file of ``tools/deployment/pytorch2onnx.py``, which onnxruntime
            runs (an :class:`~mmderain.apis.deployment.OnnxDerainer` is
            returned; ``config`` must name the generator exported, and
            ``device`` None means the CPU). Default: None.
        device (str, optional): Device to put the model on; None picks
            ``'cuda'`` when available, else ``'cpu'`` (as mmagic's
            inferencers do). Default: None.
        strict (bool): Refuse a checkpoint with missing, unexpected or
            size-mismatched weights. False loads the weights that fit and
            logs the others; a checkpoint of which none fits is still
            refused. Default: True.

    Returns:
        nn.Module: The model in eval mode, with the config in ``model.cfg``.

    Raises:
        FileNotFoundError: The config file does not exist.
        CheckpointRefusedError: The checkpoint is missing, unreadable or
            would run code when unpickled.
        WeightMismatchError: The checkpoint's weights do not fit the model;
            the message lists the first missing, unexpected and
            size-mismatched keys with their shapes.
    """
    if isinstance(config, str):
        config = load_config(config)
    init_default_scope(config.get('default_scope', 'mmagic'))
    if checkpoint is not None and checkpoint.endswith('.onnx'):
        from .deployment import init_onnx_model
        return init_onnx_model(checkpoint, config, device)
    if device is None:
        device = 'cuda' if torch.cuda.is_available() else 'cpu'
    model = MODELS.build(config.model)
    if checkpoint is not None:
        # mmderain registers its weights-only loader for local files
        # (mmderain.utils.checkpoint): a refused or missing file raises
        # CheckpointRefusedError naming it.
        state_dict = checkpoint_state_dict(
            CheckpointLoader.load_checkpoint(checkpoint, map_location='cpu'))
        check_weights_fit(model, state_dict, checkpoint, strict=strict)
        load_state_dict(model, state_dict, strict=strict)
    model.cfg = config
    return model.to(device).eval()


def _check_image(img: np.ndarray) -> None:
    if not (isinstance(img, np.ndarray) and img.ndim == 3 and img.shape[2] == 3
            and img.dtype == np.uint8):
        shape = getattr(img, 'shape', None)
        dtype = getattr(img, 'dtype', type(img).__name__)
        raise ValueError(
            'derain_image expects an (H, W, 3) uint8 image (BGR as '
            f'mmcv.imread returns it), got shape {shape} and dtype {dtype}.')


def _network_fn(model: nn.Module, size_divisor: int,
                channel_order: str) -> Callable[[np.ndarray], np.ndarray]:
    """Map an (h, w, 3) uint8 crop to the model's float32 output."""
    preprocessor = model.data_preprocessor
    # The preprocessor's buffers sit on the model's device; an
    # OnnxDerainer has no parameters to ask.
    device = preprocessor.mean.device
    flip = channel_order == 'bgr'

    def forward(crop: np.ndarray) -> np.ndarray:
        if flip:
            crop = crop[..., ::-1]
        x = torch.from_numpy(np.ascontiguousarray(crop)).to(device)
        x = x.permute(2, 0, 1)[None].float()
        x = (x - preprocessor.mean) / preprocessor.std
        h, w = x.shape[-2:]
        pad_h, pad_w = -h % size_divisor, -w % size_divisor
        if pad_h or pad_w:
            x = F.pad(x, (0, pad_w, 0, pad_h), mode='reflect')
        out = model(x, mode='tensor')[0, :, :h, :w]
        # mean and std have shape (3, 1, 1).
        out = out * preprocessor.std + preprocessor.mean
        out = out.permute(1, 2, 0)
        if flip:
            out = out.flip(-1)
        return out.cpu().numpy()

    return forward


def derain_image(model: nn.Module,
                 img: np.ndarray,
                 size_divisor: int = 1,
                 tile: Optional[int] = None,
                 tile_overlap: int = DEFAULT_TILE_OVERLAP,
                 channel_order: str = 'bgr',
                 progress: Optional[Callable[[], None]] = None) -> np.ndarray:
    """Remove rain from one image.

    The image is normalized with the model's data preprocessor (its mean and
    std), reflect-padded to a multiple of ``size_divisor`` for backbones that
    downsample, passed through ``model(..., mode='tensor')``, and cropped back.
    Large images run in overlapping tiles (see :mod:`mmderain.apis.tiling`)
    so that memory stays bounded; only the uint8 input, a float32 output
    of the image's size and one tile's activations are held at a time.

    Args:
        model (nn.Module): A model from :func:`init_model`.
        img (np.ndarray): uint8 image, shape (H, W, 3).
        size_divisor (int): Pad height and width to a multiple of this.
            Default: 1.
        tile (int, optional): Tile size in pixels; 0 runs the image whole;
            None tiles images of more than one megapixel with tiles of at
            most 768x768 (:func:`~mmderain.apis.tiling.auto_tile_size`).
            Default: None.
        tile_overlap (int): Least overlap of neighbouring tiles. Default: 32.
        channel_order (str): ``'bgr'`` (mmcv's order) or ``'rgb'``, for
            both ``img`` and the result. Default: ``'bgr'``.
        progress (Callable, optional): Called once after each tile.

    Returns:
        np.ndarray: The de-rained uint8 image, shape (H, W, 3), in
        ``channel_order``.
    """
    _check_image(img)
    if channel_order not in ('bgr', 'rgb'):
        raise ValueError(
            f"channel_order must be 'bgr' or 'rgb', got {channel_order!r}.")
    height, width = img.shape[:2]
    if tile is None:
        tile = auto_tile_size(height, width)
    forward = _network_fn(model, size_divisor, channel_order)
    with torch.inference_mode():
        if tile and (tile < height or tile < width):
            out = tiled_apply(forward, img, tile, tile_overlap, progress)
        else:
            out = forward(img)
            if progress is not None:
                progress()
    np.clip(out, 0, 255, out=out)
    np.rint(out, out=out)
    return out.astype(np.uint8)


def _output_paths(paths: Sequence[str], out_dir: str) -> List[str]:
    """Output path of each input: ``out_dir`` and the input's file name."""
    outputs = [osp.join(out_dir, osp.basename(p)) for p in paths]
    seen = {}
    for path, out in zip(paths, outputs):
        if osp.abspath(out) == osp.abspath(path):
            raise ValueError(
                f'--out {out_dir} is the folder of the input {path}; the '
                'result would overwrite it. Choose another output folder.')
        if out in seen:
            raise ValueError(
                f'{seen[out]} and {path} would both be written to {out}; '
                'de-rain them into different output folders.')
        seen[out] = path
    return outputs


def _tile_count(path: str, tile: Optional[int], tile_overlap: int) -> int:
    """Tiles of an image file, read from its header (1 if unreadable)."""
    try:
        with Image.open(path) as image:
            width, height = image.size
    except Exception:
        return 1
    if tile is None:
        tile = auto_tile_size(height, width)
    return count_tiles(height, width, tile, tile_overlap)


# A write refused for these reasons concerns the output folder itself (its
# permissions, a read-only mount): every later result would fail too.
_FOLDER_ERRNOS = (errno.EACCES, errno.EPERM, errno.EROFS)
# A full disk or quota may still take a smaller result, so the batch stops
# only after this many such failures in a row.
_FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)
MAX_FULL_WRITES = 3


@dataclass
class DerainReport:
    """What :func:`derain_files` did with each input.

    Attributes:
        written (list[str]): Inputs whose result was written.
        skipped (list[str]): Inputs left out because their result already
            existed (``skip_existing``).
        failed (dict[str, str]): Input -> why it could not be read,
            de-rained or written.
        not_run (list[str]): Inputs never tried because the batch stopped.
        stop_reason (str, optional): Why the batch stopped before its end;
            None when every input was tried.
        overwritten (int): Earlier results in the output folder replaced.
    """
    written: List[str] = field(default_factory=list)
    skipped: List[str] = field(default_factory=list)
    failed: Dict[str, str] = field(default_factory=dict)
    not_run: List[str] = field(default_factory=list)
    stop_reason: Optional[str] = None
    overwritten: int = 0

    @property
    def ok(self) -> bool:
        """bool: Every input has its result (written or kept)."""
        return not self.failed and not self.not_run

    @property
    def total(self) -> int:
        """int: Inputs in all."""
        return (len(self.written) + len(self.skipped) + len(self.failed) +
                len(self.not_run))

    def summary(self, out_dir: str) -> str:
        """One line: how many results were written, kept and replaced."""
        line = (f'{len(self.written)} of {self.total} images de-rained into '
                f'{out_dir}')
        if self.skipped:
            line += (f', {len(self.skipped)} skipped (their result was '
                     'already there)')
        if self.overwritten:
            line += f', {self.overwritten} earlier results overwritten'
        return line + '.'

    def problems(self) -> List[str]:
        """One line per input without a result, and why the batch stopped.
        """
        lines = [f'FAILED {path}: {why}' for path, why in self.failed.items()]
        lines += [f'NOT RUN {path}' for path in self.not_run]
        if self.stop_reason is not None:
            lines.append(
                f'Stopped: {self.stop_reason} {len(self.written)} of '
                f'{self.total} images were written; the '
                f'{len(self.failed) + len(self.not_run)} without a result '
                'are listed above. Once fixed, rerun with --skip-existing to '
                'de-rain only those.')
        return lines


def _prepare_out_dir(out_dir: str) -> None:
    """Create ``out_dir`` and make sure results can be written there."""
    try:
        os.makedirs(out_dir, exist_ok=True)
        reason = (None if os.access(out_dir, os.W_OK | os.X_OK) else
                  OSError(errno.EACCES, os.strerror(errno.EACCES)))
    except OSError as error:
        reason = error
    if reason is not None:
        raise FileWriteError(
            reason.errno, reason.strerror, out_dir,
            f'Cannot write into the output folder {out_dir}: '
            f'{reason.strerror or reason}. Nothing was de-rained; choose '
            'another folder or fix its permissions.')


def _write_result(result: np.ndarray, out: str) -> None:
    """Write one result (atomically: mmcv writes through the local backend
    that :mod:`mmderain.utils.atomic_files` installs)."""
    try:
        written = mmcv.imwrite(result, out)
    except cv2.error as error:
        raise ValueError(f'cannot encode {out}: {error}') from error
    if not written:
        raise ValueError(f'OpenCV cannot encode {out}.')


def derain_files(model: nn.Module,
                 paths: Sequence[str],
                 out_dir: str,
                 size_divisor: int = 1,
                 tile: Optional[int] = None,
                 tile_overlap: int = DEFAULT_TILE_OVERLAP,
                 show_progress: bool = True,
                 skip_existing: bool = False) -> DerainReport:
    """De-rain image files into ``out_dir``, keeping their file names.

    An image that cannot be read, de-rained or written is reported on the
    spot and the others still run. The batch stops, leaving the rest
    untried, when the output folder refuses a write (no permission, a
    read-only mount) or after :data:`MAX_FULL_WRITES` writes in a row fail
    for a full disk or quota. Results are written atomically, so one that
    exists is complete: ``skip_existing`` resumes a stopped batch. Earlier
    results that will be overwritten are counted in one logged line.

    Args:
        model (nn.Module): A model from :func:`init_model`.
        paths (Sequence[str]): Image files (see :func:`list_images`).
        out_dir (str): Output folder, created if missing.
        size_divisor (int): See :func:`derain_image`. Default: 1.
        tile (int, optional): See :func:`derain_image`. Default: None.
        tile_overlap (int): See :func:`derain_image`. Default: 32.
        show_progress (bool): Show a progress bar that advances per tile
            (the tile counts come from the image headers). Default: True.
        skip_existing (bool): Leave out the images whose result is already
            in ``out_dir``. Default: False (overwrite it).

    Returns:
        DerainReport: What happened to each input.

    Raises:
        ValueError: Two inputs share a file name, or ``out_dir`` holds an
            input (it would be overwritten); raised before any work.
        FileWriteError: ``out_dir`` cannot be created or written; raised
            before any work.
    """
    outputs = _output_paths(paths, out_dir)
    _prepare_out_dir(out_dir)
    report = DerainReport()
    todo = []
    for path, out in zip(paths, outputs):
        if not osp.exists(out):
            todo.append((path, out))
        elif skip_existing:
            report.skipped.append(path)
        else:
            todo.append((path, out))
            report.overwritten += 1
    if report.skipped:
        print_log(
            f'{len(report.skipped)} of the {len(paths)} images already have '
            f'a result in {out_dir}; they are skipped (--skip-existing).',
            'current')
    if report.overwritten:
        print_log(
            f'{report.overwritten} of the {len(paths)} results already '
            f'exist in {out_dir} and will be overwritten (--skip-existing '
            'keeps them).', 'current', logging.WARNING)
    bar = None
    if show_progress and todo:
        bar = ProgressBar(
            sum(_tile_count(p, tile, tile_overlap) for p, _ in todo))
    full_in_a_row = 0
    for index, (path, out) in enumerate(todo):
        done = []

        def progress() -> None:
            done.append(1)
            if bar is not None:
                bar.update()

        writing = False
        try:
            img = read_image(path)
            result = derain_image(model,
                                  img,
                                  size_divisor=size_divisor,
                                  tile=tile,
                                  tile_overlap=tile_overlap,
                                  progress=progress)
            del img
            writing = True
            _write_result(result, out)
        except (OSError, ValueError, RuntimeError, cv2.error) as error:
            report.failed[path] = f'{type(error).__name__}: {error}'
            # A warning: the batch goes on (mmengine's ERROR format would
            # add the location of print_log itself).
            print_log(f'\nFailed {path}: {report.failed[path]}', 'current',
                      logging.WARNING)
            # Keep the bar's total right for the tiles never run.
            left = _tile_count(path, tile, tile_overlap) - len(done)
            if bar is not None and left > 0:
                bar.update(left)
            if writing and isinstance(error, OSError):
                full_in_a_row = (full_in_a_row + 1
                                 if error.errno in _FULL_ERRNOS else 0)
                report.stop_reason = _stop_reason(error, out_dir,
                                                  full_in_a_row)
            if report.stop_reason is not None:
                report.not_run = [p for p, _ in todo[index + 1:]]
                print_log(
                    f'\nStopped: {report.stop_reason} '
                    f'{len(report.not_run)} images not tried.', 'current',
                    logging.WARNING)
                break
        else:
            full_in_a_row = 0
            report.written.append(path)
    return report


def _stop_reason(error: OSError, out_dir: str,
                 full_in_a_row: int) -> Optional[str]:
    """Why a failed write stops the batch, or None to go on."""
    if error.errno in _FOLDER_ERRNOS:
        return (f'the output folder {out_dir} refuses writes '
                f'({error.strerror}).')
    if full_in_a_row >= MAX_FULL_WRITES:
        return (f'{full_in_a_row} writes in a row to {out_dir} failed '
                f'({error.strerror}).')
    return None


class DerainInferencer:
    """De-rain images given as arrays or paths, as mmagic's inferencers do.

    Example::

        >>> inferencer = DerainInferencer('configs/prenet/x.py', 'x.pth')
        >>> clean = inferencer('rainy.jpg')              # one BGR array
        >>> cleans = inferencer([img1, 'b.png'], out_dir='derained/')

    Args:
        config (str | Config): Model config or its path.
        checkpoint (str, optional): Checkpoint path. Default: None.
        device (str, optional): None picks CUDA when available.
        size_divisor (int): See :func:`derain_image`. Default: 1.
        tile (int, optional): See :func:`derain_image`. Default: None.
        tile_overlap (int): See :func:`derain_image`. Default: 32.
    """

    def __init__(self,
                 config: Union[str, Config],
                 checkpoint: Optional[str] = None,
                 device: Optional[str] = None,
                 size_divisor: int = 1,
                 tile: Optional[int] = None,
                 tile_overlap: int = DEFAULT_TILE_OVERLAP) -> None:
        self.model = init_model(config, checkpoint, device)
        self.size_divisor = size_divisor
        self.tile = tile
        self.tile_overlap = tile_overlap

    def __call__(
            self,
            inputs: Union[ImageInput, Sequence[ImageInput]],
            out_dir: Optional[str] = None
    ) -> Union[np.ndarray, List[np.ndarray]]:
        """De-rain one input or a list of inputs.

        Args:
            inputs (str | np.ndarray | list): Image paths and/or (H, W, 3)
                uint8 BGR arrays.
            out_dir (str, optional): Also write each result there, under
                the input's file name (arrays: ``'{index}.png'``).

        Returns:
            np.ndarray | list[np.ndarray]: uint8 BGR results; a list when
            ``inputs`` is a list.
        """
        single = not isinstance(inputs, (list, tuple))
        items = [inputs] if single else list(inputs)
        results = []
        for index, item in enumerate(items):
            img = read_image(item) if isinstance(item, str) else item
            result = derain_image(self.model,
                                  img,
                                  size_divisor=self.size_divisor,
                                  tile=self.tile,
                                  tile_overlap=self.tile_overlap)
            if out_dir is not None:
                name = (osp.basename(item)
                        if isinstance(item, str) else f'{index}.png')
                mmcv.imwrite(result, osp.join(out_dir, name))
            results.append(result)
        return results[0] if single else results
