from .add_gaussian_blur import AddGaussianBlur
from .add_rain import AddRain
from .crop_grid_patch import CropGridPatch
from .paired_center_crop import PairedCenterCrop
from .rain_renderer import RAIN_PRESETS, render_rain
from .split_side_by_side import SplitSideBySide

__all__ = [
    'AddGaussianBlur', 'AddRain', 'CropGridPatch', 'PairedCenterCrop',
    'RAIN_PRESETS', 'render_rain', 'SplitSideBySide'
]
