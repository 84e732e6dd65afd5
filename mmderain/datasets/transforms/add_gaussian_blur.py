"""Blurred / clear pairs for TTL's reconstruction task."""
import math
from typing import Optional, Sequence

import cv2
from mmcv.transforms import BaseTransform

from mmagic.registry import TRANSFORMS
from .random_state import deterministic_rng, fresh_rng


@TRANSFORMS.register_module()
class AddGaussianBlur(BaseTransform):
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
        self.sigma_range = (low, high)
        self.key = key
        self.output_key = output_key
        self.seed = seed

    def transform(self, results: dict) -> dict:
        """Add the blurred image to ``results``.

        Args:
            results (dict): Must hold the clear image under ``self.key``.

        Returns:
            dict: ``results`` with the blurred image under ``output_key``.
        """
        if self.key not in results:
            raise KeyError(f'AddGaussianBlur: no clear image under key '
                           f'"{self.key}"; available keys: {sorted(results)}.')
        if self.seed is None:
            rng = fresh_rng()
        else:
            name = results.get('key', results.get(f'{self.key}_path', ''))
            rng = deterministic_rng(self.seed, str(name))
        sigma = float(rng.uniform(*self.sigma_range))
        size = 2 * math.ceil(3 * sigma) + 1
        clear = results[self.key]
        results[self.output_key] = cv2.GaussianBlur(
            clear, (size, size),
            sigmaX=sigma,
            sigmaY=sigma,
            borderType=cv2.BORDER_REFLECT_101).reshape(clear.shape)
        results['blur_sigma'] = sigma
        for suffix in ('channel_order', 'color_type'):
            if f'{self.key}_{suffix}' in results:
                results[f'{self.output_key}_{suffix}'] = results[
                    f'{self.key}_{suffix}']
        results[f'ori_{self.output_key}_shape'] = clear.shape
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(sigma_range={self.sigma_range}, '
                f'key={self.key}, output_key={self.output_key}, '
                f'seed={self.seed})')
