"""Distillation term of Neural Reorganization (Sec. 3.2, Eq. 7)."""
from typing import Union

from mmagic.registry import MODELS
from torch import Tensor, nn


@MODELS.register_module()
class DistillationLoss(nn.Module):
    """``loss_weight * criterion(student, teacher)``: the term
    ``lambda L(f(x; theta), f(x; theta^(n-1)))`` of Eq. 7.

    The teacher's output is a fixed target: no gradient flows into it.

    Args:
        criterion (dict or nn.Module): The loss ``L`` comparing the two
            outputs; the paper reuses the training loss (``SSIMLoss`` for
            PReNet).
        loss_weight (float): ``lambda``. Defaults to 0.8, the paper's value.
    """

    def __init__(self,
                 criterion: Union[dict, nn.Module],
                 loss_weight: float = 0.8) -> None:
        super().__init__()
        if isinstance(criterion, dict):
            criterion = MODELS.build(criterion)
        if not isinstance(criterion, nn.Module):
            raise TypeError('DistillationLoss.criterion must be a loss config '
                            f'dict or nn.Module, got {type(criterion)}.')
        self.criterion = criterion
        self.loss_weight = loss_weight

    def forward(self, pred: Tensor, teacher_pred: Tensor) -> Tensor:
        """Distillation loss of the student output ``pred`` towards
        ``teacher_pred``."""
        return self.loss_weight * self.criterion(pred, teacher_pred.detach())
