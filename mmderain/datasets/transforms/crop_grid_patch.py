from typing import Sequence, Union

import numpy as np
from mmcv.transforms import BaseTransform

from mmagic.registry import TRANSFORMS


@TRANSFORMS.register_module()
class CropGridPatch(BaseTransform):
    """Cut out the grid patch that the dataset recorded for this sample.

    PReNet (Ren et al., CVPR 2019) trains on every patch of a fixed grid
    rather than on random crops: ``Im2Patch(img, win=100, stride=80)`` in
    ``DerainDataset.py`` of github csdwren/PReNet, applied to the rainy and
    the clean image alike and, for RainTrainL, once more to the pair flipped
    by ``cv2.flip(img, 1)``. A dataset built with ``patch_grid`` (see
    :class:`~mmderain.datasets.BaseRainDataset`) holds one data info per such
    patch, with ``grid_patch=dict(top, left, size, hflip)``; this transform,
    placed after loading (and after
    :class:`~mmderain.datasets.transforms.SplitSideBySide` for side-by-side
    pairs), crops that patch from every key and mirrors it when ``hflip``
    is set. ``left`` is given in the unflipped image, so the mirrored crop
    equals the patch of the flipped image, pixel for pixel.

    Required Keys:

    - [keys]
    - grid_patch

    Modified Keys:

    - [keys]

    Args:
        keys (str | Sequence[str]): Images to crop, all of the same size.
            Defaults to ``('img', 'gt')``.
    """

    def __init__(self,
                 keys: Union[str, Sequence[str]] = ('img', 'gt')) -> None:
        self.keys = [keys] if isinstance(keys, str) else list(keys)
        if not self.keys:
            raise ValueError('CropGridPatch: keys must name at least one '
                             'image.')

    def transform(self, results: dict) -> dict:
        """Crop (and mirror) the recorded patch of every key.

        Args:
            results (dict): Holds the images and ``grid_patch``.

        Returns:
            dict: ``results`` with the patches.
        """
        patch = results.get('grid_patch')
        if patch is None:
            raise KeyError('CropGridPatch: the results have no "grid_patch";'
                           ' build the dataset with patch_grid=dict(size=..., '
                           'stride=...) so that every sample is one patch.')
        top, left, size = patch['top'], patch['left'], patch['size']
        for key in self.keys:
            image = results[key]
            height, width = image.shape[:2]
            if top + size > height or left + size > width:
                path = results.get(f'{key}_path', f'results["{key}"]')
                raise ValueError(
                    f'CropGridPatch: the {size}x{size} patch at (top={top}, '
                    f'left={left}) lies outside the {width}x{height} image '
                    f'"{key}" of {path}; did the file change after the '
                    'dataset was built?')
            crop = image[top:top + size, left:left + size]
            if patch['hflip']:
                crop = crop[:, ::-1]
            results[key] = np.ascontiguousarray(crop)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(keys={self.keys})'
