from .add_gaussian_blur import AddGaussianBlur
from .add_rain import AddRain
from .rain_renderer import RAIN_PRESETS, render_rain
from .split_side_by_side import SplitSideBySide

__all__ = [
    'AddGaussianBlur', 'AddRain', 'RAIN_PRESETS', 'render_rain',
    'SplitSideBySide'
]
