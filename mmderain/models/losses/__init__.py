from .distill_loss import DistillationLoss
from .ssim_loss import SSIMLoss

__all__ = ['SSIMLoss', 'DistillationLoss']
