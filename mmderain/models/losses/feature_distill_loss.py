"""Representation matching loss of TTL's knowledge distillation."""
from typing import Sequence, Union

import torch.nn.functional as F
from torch import Tensor, nn

from mmagic.registry import MODELS

_REDUCTIONS = ('mean', 'sum')


@MODELS.register_module()
class FeatureDistillLoss(nn.Module):
    """Squared error between a student output and a fixed teacher output.

    Serves both terms of "Removing Rain Streaks via Task Transfer Learning":
    direct matching of encoder features (Eq. 3) and indirect matching of
    the frozen teacher decoders' outputs (Eq. 4). The teacher side is
    detached, so gradients reach the student only.

    Args:
        loss_weight (float): Weight of the loss. Default: 1.0.
        reduction (str): 'mean' or 'sum'. Default: 'mean'.
    """

    def __init__(self,
                 loss_weight: float = 1.0,
                 reduction: str = 'mean') -> None:
        super().__init__()
        if reduction not in _REDUCTIONS:
            raise ValueError(f'FeatureDistillLoss: reduction must be one of '
                             f'{_REDUCTIONS}, got {reduction!r}.')
        self.loss_weight = loss_weight
        self.reduction = reduction

    def forward(self, student: Union[Tensor, Sequence[Tensor]],
                teacher: Union[Tensor, Sequence[Tensor]]) -> Tensor:
        """Compute the loss.

        Args:
            student (Tensor | Sequence[Tensor]): Student output(s).
            teacher (Tensor | Sequence[Tensor]): Teacher output(s) of the
                same shape(s); a sequence gives the sum over its items.

        Returns:
            Tensor: The weighted loss.
        """
        if isinstance(student, Tensor):
            student, teacher = [student], [teacher]
        if len(student) != len(teacher):
            raise ValueError(
                f'FeatureDistillLoss: {len(student)} student outputs but '
                f'{len(teacher)} teacher outputs.')
        loss = 0
        for stu, tea in zip(student, teacher):
            if stu.shape != tea.shape:
                raise ValueError(
                    f'FeatureDistillLoss: student {tuple(stu.shape)} and '
                    f'teacher {tuple(tea.shape)} differ in shape.')
            loss = loss + F.mse_loss(
                stu, tea.detach(), reduction=self.reduction)
        return self.loss_weight * loss
