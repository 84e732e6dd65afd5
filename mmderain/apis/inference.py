"""De-rain images with a trained model, outside of a Runner."""
from typing import Optional, Union

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint

from mmagic.registry import MODELS


def init_model(config: Union[str, Config],
               checkpoint: Optional[str] = None,
               device: str = 'cpu') -> nn.Module:
    """Build the model of ``config`` and load ``checkpoint`` into it.

    Args:
        config (str | Config): Config file or object with a ``model`` field.
        checkpoint (str, optional): Checkpoint to load (``state_dict`` of a
            training checkpoint, or a bare state dict). Default: None.
        device (str): Device to put the model on. Default: ``'cpu'``.

    Returns:
        nn.Module: The model in eval mode, with the config in ``model.cfg``.
    """
    if isinstance(config, str):
        config = Config.fromfile(config)
    init_default_scope(config.get('default_scope', 'mmagic'))
    model = MODELS.build(config.model)
    if checkpoint is not None:
        load_checkpoint(model, checkpoint, map_location='cpu', strict=True)
    model.cfg = config
    return model.to(device).eval()


@torch.no_grad()
def derain_image(model: nn.Module,
                 img: np.ndarray,
                 size_divisor: int = 1) -> np.ndarray:
    """Remove rain from one RGB image.

    The image is normalized with the model's data preprocessor (its mean and
    std), reflect-padded to a multiple of ``size_divisor`` for backbones that
    downsample, passed through ``model(..., mode='tensor')``, and cropped back.

    Args:
        model (nn.Module): A model from :func:`init_model`.
        img (np.ndarray): RGB image, uint8, shape (H, W, 3).
        size_divisor (int): Pad height and width to a multiple of this.
            Default: 1.

    Returns:
        np.ndarray: The de-rained RGB image, uint8, shape (H, W, 3).
    """
    if img.ndim != 3 or img.dtype != np.uint8:
        raise ValueError('derain_image expects an (H, W, C) uint8 image, got '
                         f'shape {img.shape} and dtype {img.dtype}.')
    device = next(model.parameters()).device
    preprocessor = model.data_preprocessor
    x = torch.from_numpy(np.ascontiguousarray(img)).permute(2, 0, 1)[None]
    x = x.to(device=device, dtype=torch.float32)
    x = (x - preprocessor.mean) / preprocessor.std
    h, w = x.shape[-2:]
    pad_h, pad_w = -h % size_divisor, -w % size_divisor
    if pad_h or pad_w:
        x = F.pad(x, (0, pad_w, 0, pad_h), mode='reflect')
    out = model(x, mode='tensor')[..., :h, :w]
    out = out * preprocessor.std + preprocessor.mean
    out = out.clamp(0, 255).round().byte()[0].permute(1, 2, 0)
    return out.cpu().numpy()
