"""Blurred / clear pairs for TTL's reconstruction task."""
import math
from typing import Optional, Sequence

import cv2
import numpy as np

from mmagic.registry import TRANSFORMS
from .base_degradation import BaseDegradation


@TRANSFORMS.register_module()
class AddGaussianBlur(BaseDegradation):
    """Blur a clear photo with a Gaussian kernel of random width.

    The reconstruction transfer task of "Removing Rain Streaks via Task
    Transfer Learning" learns to undo the blur that light scattered by
    rain streaks causes: its input is a clear image blurred "with a
    Gaussian kernel" and its target the clear image. The paper gives no
    kernel, so the standard deviation is drawn uniformly from
    ``sigma_range`` per call and the kernel spans +-3 sigma.

    Required Keys:

    - [key]

    Added Keys:

    - [output_key]
    - blur_sigma
    - ori_[output_key]_shape, [output_key]_channel_order,
      [output_key]_color_type (copied from the clear image's, when present)

    Args:
        sigma_range (Sequence[float]): Range of the standard deviation in
            pixels. Default: (0.5, 3.0).
        key (str): Key of the clear image. Default: 'gt'.
        output_key (str): Key written with the blurred image.
            Default: 'img'.
        seed (int, optional): None draws a new width on every call
            (different per dataloader worker and epoch). An int makes the
            width a function of the seed and the sample's ``key`` (or path),
            as a test set needs. Default: None.
    """

    def __init__(self,
                 sigma_range: Sequence[float] = (0.5, 3.0),
                 key: str = 'gt',
                 output_key: str = 'img',
                 seed: Optional[int] = None) -> None:
        low, high = (float(v) for v in sigma_range)
        if not 0 < low <= high:
            raise ValueError(f'AddGaussianBlur: sigma_range must satisfy '
                             f'0 < low <= high, got {tuple(sigma_range)}.')
        super().__init__(key=key, output_key=output_key, seed=seed)
        self.sigma_range = (low, high)

    def degrade(self, image: np.ndarray, rng: np.random.Generator,
                results: dict) -> np.ndarray:
        """Blur ``image``; records the drawn ``blur_sigma``."""
        sigma = float(rng.uniform(*self.sigma_range))
        size = 2 * math.ceil(3 * sigma) + 1
        results['blur_sigma'] = sigma
        return cv2.GaussianBlur(
            image, (size, size),
            sigmaX=sigma,
            sigmaY=sigma,
            borderType=cv2.BORDER_REFLECT_101).reshape(image.shape)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(sigma_range={self.sigma_range}, '
                f'key={self.key}, output_key={self.output_key}, '
                f'seed={self.seed})')
