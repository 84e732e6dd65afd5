from .combined_loss import CombinedLoss
from .distill_loss import DistillationLoss
from .feature_distill_loss import FeatureDistillLoss
from .gradient_loss import GradientMSELoss
from .ssim_loss import SSIMLoss

__all__ = [
    'CombinedLoss', 'SSIMLoss', 'DistillationLoss', 'FeatureDistillLoss',
    'GradientMSELoss'
]
