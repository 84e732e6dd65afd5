"""L2 loss on horizontal and vertical image gradients (TTL, Eq. 2)."""
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from mmagic.registry import MODELS

_REDUCTIONS = ('none', 'mean', 'sum')
_OPERATORS = ('diff', 'sobel')


def image_gradients(x: Tensor, operator: str = 'diff') -> Tensor:
    """Horizontal and vertical gradients of an (N, C, H, W) tensor.

    ``'diff'`` takes forward differences, ``x[..., j + 1] - x[..., j]``,
    with a zero gradient in the last column (row); ``'sobel'`` applies the
    3x3 Sobel kernels with replicated borders.

    Returns:
        Tensor: Shape (2, N, C, H, W): horizontal, then vertical gradient.
    """
    if operator == 'diff':
        grad_x = F.pad(x[..., :, 1:] - x[..., :, :-1], (0, 1, 0, 0))
        grad_y = F.pad(x[..., 1:, :] - x[..., :-1, :], (0, 0, 0, 1))
        return torch.stack([grad_x, grad_y])
    n, c, h, w = x.shape
    kernel_x = x.new_tensor([[-1., 0., 1.], [-2., 0., 2.], [-1., 0., 1.]])
    kernels = torch.stack([kernel_x, kernel_x.t()])[:, None]
    padded = F.pad(x.reshape(n * c, 1, h, w), (1, 1, 1, 1), mode='replicate')
    grads = F.conv2d(padded, kernels).view(n, c, 2, h, w)
    return grads.permute(2, 0, 1, 3, 4)


@MODELS.register_module()
class GradientMSELoss(nn.Module):
    """Squared error between the image gradients of prediction and target.

    The gradient term of Eq. 2 of "Removing Rain Streaks via Task Transfer
    Learning": ``||grad_x O - grad_x C||^2 + ||grad_y O - grad_y C||^2``,
    computed per pixel (see :func:`image_gradients`) and then reduced.

    Args:
        loss_weight (float): Weight of the loss. Default: 1.0.
        reduction (str): 'none' (per-pixel map of shape (N, C, H, W)),
            'mean' or 'sum'. Default: 'mean'.
        operator (str): 'diff' (forward differences) or 'sobel'.
            Default: 'diff'.
    """

    def __init__(self,
                 loss_weight: float = 1.0,
                 reduction: str = 'mean',
                 operator: str = 'diff') -> None:
        super().__init__()
        if reduction not in _REDUCTIONS:
            raise ValueError(f'GradientMSELoss: reduction must be one of '
                             f'{_REDUCTIONS}, got {reduction!r}.')
        if operator not in _OPERATORS:
            raise ValueError(f'GradientMSELoss: operator must be one of '
                             f'{_OPERATORS}, got {operator!r}.')
        self.loss_weight = loss_weight
        self.reduction = reduction
        self.operator = operator

    def forward(self, pred: Tensor, target: Tensor) -> Tensor:
        """Compute the loss.

        Args:
            pred (Tensor): Prediction of shape (N, C, H, W).
            target (Tensor): Target of the same shape.

        Returns:
            Tensor: The weighted loss.
        """
        if pred.shape != target.shape:
            raise ValueError(f'GradientMSELoss: pred {tuple(pred.shape)} and '
                             f'target {tuple(target.shape)} differ in shape.')
        diff = image_gradients(pred - target, self.operator)
        loss = diff.pow(2).sum(dim=0)
        if self.reduction == 'mean':
            loss = loss.mean()
        elif self.reduction == 'sum':
            loss = loss.sum()
        return self.loss_weight * loss
