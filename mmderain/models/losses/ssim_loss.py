"""Negative-SSIM loss used to train PReNet."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmagic.registry import MODELS

_REDUCTIONS = ('none', 'mean', 'sum')


def gaussian_window(window_size: int, sigma: float) -> torch.Tensor:
    """A normalized 2-D Gaussian window of shape (window_size, window_size)."""
    coords = torch.arange(window_size, dtype=torch.float64)
    coords -= (window_size - 1) / 2
    g = torch.exp(-coords**2 / (2 * sigma**2))
    g /= g.sum()
    return torch.outer(g, g)


def ssim_map(pred: torch.Tensor,
             target: torch.Tensor,
             window: torch.Tensor,
             data_range: float = 1.0) -> torch.Tensor:
    """Per-pixel SSIM (Wang et al., TIP 2004, Eq. 13) with a Gaussian window.

    Local statistics are Gaussian-weighted means over a zero-padded
    neighbourhood, computed per channel, as in the SSIM loss PReNet was
    trained with; constants C1 = (0.01 L)^2, C2 = (0.03 L)^2.

    Args:
        pred (Tensor): Images of shape (N, C, H, W).
        target (Tensor): Images of the same shape.
        window (Tensor): 2-D window of shape (K, K), summing to 1.
        data_range (float): Value range L of the images. Default: 1.0.

    Returns:
        Tensor: SSIM map of shape (N, C, H, W).
    """
    channels = pred.shape[1]
    kernel = window.to(pred).expand(channels, 1, *window.shape)
    pad = window.shape[-1] // 2

    def blur(x: torch.Tensor) -> torch.Tensor:
        return F.conv2d(x, kernel, padding=pad, groups=channels)

    mu_x, mu_y = blur(pred), blur(target)
    mu_xx, mu_yy, mu_xy = mu_x * mu_x, mu_y * mu_y, mu_x * mu_y
    var_x = blur(pred * pred) - mu_xx
    var_y = blur(target * target) - mu_yy
    cov = blur(pred * target) - mu_xy
    c1 = (0.01 * data_range)**2
    c2 = (0.03 * data_range)**2
    return ((2 * mu_xy + c1) * (2 * cov + c2)) / ((mu_xx + mu_yy + c1) *
                                                  (var_x + var_y + c2))


@MODELS.register_module()
class SSIMLoss(nn.Module):
    """Negative structural similarity, the training loss of PReNet.

    Ren et al., "Progressive Image Deraining Networks", CVPR 2019, Sec. 3.4:
    the network is trained by maximizing SSIM, i.e. minimizing
    ``-SSIM(pred, target)`` with an 11x11 Gaussian window (sigma 1.5).
    The loss is therefore in [-1, 1] and reaches -1 at a perfect match.

    Args:
        loss_weight (float): Weight of the loss. Default: 1.0.
        reduction (str): ``'none'`` (per-pixel map), ``'mean'`` or ``'sum'``.
            Default: ``'mean'``.
        window_size (int): Side of the Gaussian window (odd). Default: 11.
        sigma (float): Standard deviation of the window. Default: 1.5.
        data_range (float): Value range of the images. Default: 1.0.
    """

    def __init__(self,
                 loss_weight: float = 1.0,
                 reduction: str = 'mean',
                 window_size: int = 11,
                 sigma: float = 1.5,
                 data_range: float = 1.0) -> None:
        super().__init__()
        if reduction not in _REDUCTIONS:
            raise ValueError(f'SSIMLoss reduction must be one of '
                             f'{_REDUCTIONS}, got {reduction!r}.')
        if window_size < 1 or window_size % 2 == 0:
            raise ValueError(
                f'SSIMLoss window_size must be odd, got {window_size}.')
        self.loss_weight = loss_weight
        self.reduction = reduction
        self.data_range = data_range
        self.register_buffer(
            'window',
            gaussian_window(window_size, sigma).float(),
            persistent=False)

    def forward(self,
                pred: torch.Tensor,
                target: torch.Tensor,
                weight: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Compute ``-loss_weight * SSIM(pred, target)``.

        Args:
            pred (Tensor): Predicted images (N, C, H, W).
            target (Tensor): Ground-truth images (N, C, H, W).
            weight (Tensor, optional): Element-wise weight of the SSIM map;
                with ``'mean'`` the weighted map is divided by its sum.

        Returns:
            Tensor: The loss, reduced as configured.
        """
        if pred.shape != target.shape:
            raise ValueError('SSIMLoss needs pred and target of the same '
                             f'shape, got {tuple(pred.shape)} and '
                             f'{tuple(target.shape)}.')
        loss = -self.loss_weight * ssim_map(pred, target, self.window,
                                            self.data_range)
        if weight is not None:
            loss = loss * weight
        if self.reduction == 'sum':
            return loss.sum()
        if self.reduction == 'mean':
            if weight is not None:
                return loss.sum() / weight.expand_as(loss).sum().clamp_min(
                    1e-12)
            return loss.mean()
        return loss
