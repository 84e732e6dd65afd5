"""A sum of pixel losses, for models that take one ``pixel_loss``."""
from typing import Sequence

import torch
import torch.nn as nn

from mmagic.registry import MODELS


@MODELS.register_module()
class CombinedLoss(nn.Module):
    """The sum of several losses of the same prediction and target.

    mmagic's ``BaseEditModel`` takes a single ``pixel_loss``; this lets a
    config train with e.g. negative SSIM plus L1 without a new model. Each
    term keeps its own ``loss_weight``.

    Args:
        losses (Sequence[dict]): Configs of the terms (``MODELS``), each
            called as ``loss(pred, target)``.
    """

    def __init__(self, losses: Sequence[dict]) -> None:
        super().__init__()
        if not losses:
            raise ValueError('CombinedLoss: losses must name at least one '
                             'loss config.')
        self.losses = nn.ModuleList(MODELS.build(cfg) for cfg in losses)

    def forward(self, pred: torch.Tensor,
                target: torch.Tensor) -> torch.Tensor:
        """The summed loss of ``pred`` against ``target``.

        Args:
            pred (Tensor): Prediction of shape (N, C, H, W).
            target (Tensor): Ground truth of the same shape.

        Returns:
            Tensor: The sum of the terms.
        """
        return sum(loss(pred, target) for loss in self.losses)
