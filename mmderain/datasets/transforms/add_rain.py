from typing import Optional, Union

import numpy as np

from mmagic.registry import TRANSFORMS
from .base_degradation import BaseDegradation
from .rain_renderer import render_rain, resolve_preset


@TRANSFORMS.register_module()
class AddRain(BaseDegradation):
    """Render synthetic rain onto a clean image.

    Turns any folder of clean photos into a de-raining set: load the photo
    as ``gt``, then ``AddRain`` writes its rainy version as ``img``.

    Required Keys:

    - [key]

    Added Keys:

    - [output_key]
    - rain_type (when the preset defines types)
    - ori_[output_key]_shape, [output_key]_channel_order,
      [output_key]_color_type (copied from the clean image's, when present)

    Args:
        preset (str | dict): Rain preset name (``'rain100l'``,
            ``'rain100h'``, ``'rain14000'``, ``'rain800'``, ``'heldout'``)
            or a preset dict; see
            :mod:`mmderain.datasets.transforms.rain_renderer`.
            Defaults to ``'rain100l'``.
        key (str): Key of the clean image. Defaults to ``'gt'``.
        output_key (str): Key written with the rainy image.
            Defaults to ``'img'``.
        seed (int, optional): None draws new rain on every call (different
            per dataloader worker and per epoch). An int makes the rain a
            function of the seed and the sample's ``key`` (or the clean
            image's path): the same image always gets the same rain, as a
            test set needs. Defaults to None.
        rain_type (int, optional): Fixed type for presets with ``types``
            (rain14000: 0..13); random when None. Defaults to None.
    """

    def __init__(self,
                 preset: Union[str, dict] = 'rain100l',
                 key: str = 'gt',
                 output_key: str = 'img',
                 seed: Optional[int] = None,
                 rain_type: Optional[int] = None) -> None:
        super().__init__(key=key, output_key=output_key, seed=seed)
        self.preset = resolve_preset(preset)
        self.preset_name = preset if isinstance(preset, str) else 'custom'
        self.rain_type = rain_type

    def degrade(self, image: np.ndarray, rng: np.random.Generator,
                results: dict) -> np.ndarray:
        """Render rain on ``image``; record ``rain_type`` if typed."""
        types = self.preset.get('types')
        rain_type = self.rain_type
        if types and rain_type is None:
            rain_type = int(rng.integers(len(types)))
        if types:
            results['rain_type'] = rain_type
        return render_rain(image, self.preset, rng, rain_type)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(preset={self.preset_name}, '
                f'key={self.key}, output_key={self.output_key}, '
                f'seed={self.seed}, rain_type={self.rain_type})')
