from typing import Optional, Union

from mmcv.transforms import BaseTransform

from mmagic.registry import TRANSFORMS
from .rain_renderer import render_rain, resolve_preset
from .random_state import deterministic_rng, fresh_rng


@TRANSFORMS.register_module()
class AddRain(BaseTransform):
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
        self.preset = resolve_preset(preset)
        self.preset_name = preset if isinstance(preset, str) else 'custom'
        self.key = key
        self.output_key = output_key
        self.seed = seed
        self.rain_type = rain_type

    def transform(self, results: dict) -> dict:
        """Add the rainy image to ``results``.

        Args:
            results (dict): Must hold the clean image under ``self.key``.

        Returns:
            dict: ``results`` with the rainy image under ``output_key``.
        """
        if self.key not in results:
            raise KeyError(f'AddRain: no clean image under key "{self.key}"; '
                           f'available keys: {sorted(results)}.')
        if self.seed is None:
            rng = fresh_rng()
        else:
            name = results.get('key', results.get(f'{self.key}_path', ''))
            rng = deterministic_rng(self.seed, str(name))
        types = self.preset.get('types')
        rain_type = self.rain_type
        if types and rain_type is None:
            rain_type = int(rng.integers(len(types)))
        clean = results[self.key]
        results[self.output_key] = render_rain(clean, self.preset, rng,
                                               rain_type)
        if types:
            results['rain_type'] = rain_type
        for suffix in ('channel_order', 'color_type'):
            if f'{self.key}_{suffix}' in results:
                results[f'{self.output_key}_{suffix}'] = results[
                    f'{self.key}_{suffix}']
        results[f'ori_{self.output_key}_shape'] = clean.shape
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(preset={self.preset_name}, '
                f'key={self.key}, output_key={self.output_key}, '
                f'seed={self.seed}, rain_type={self.rain_type})')
