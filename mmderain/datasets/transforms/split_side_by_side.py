from typing import Optional

from mmcv.transforms import BaseTransform

from mmagic.registry import TRANSFORMS

_HALVES = ('left', 'right')


@TRANSFORMS.register_module()
class SplitSideBySide(BaseTransform):
    """Split an image holding a rainy/clean pair side by side (Rain800,
    Rain1200).

    Load the pair image once (``LoadImageFromFile`` with ``key='img'``),
    then this transform writes the rainy half under ``rainy_key`` and the
    clean half under ``clean_key``.

    Which half is rainy comes from ``rainy_half``, or, when that is None,
    from ``results['rainy_half']``, which the side-by-side datasets
    (:class:`~mmderain.datasets.SideBySideRainDataset`,
    :class:`~mmderain.datasets.Rain800Dataset`,
    :class:`~mmderain.datasets.Rain1200Dataset`) set from their own
    argument.

    Required Keys:

    - [key]
    - rainy_half (only when the ``rainy_half`` argument is None)

    Modified / Added Keys:

    - [rainy_key], [clean_key]
    - ori_[rainy_key]_shape, ori_[clean_key]_shape
    - [clean_key]_channel_order, [clean_key]_color_type (copied)

    Args:
        key (str): Key of the side-by-side image. Defaults to ``'img'``.
        rainy_key (str): Output key of the rainy half. Defaults to ``'img'``.
        clean_key (str): Output key of the clean half. Defaults to ``'gt'``.
        rainy_half (str, optional): ``'left'`` or ``'right'``. Defaults to
            None (read from the results).
    """

    def __init__(self,
                 key: str = 'img',
                 rainy_key: str = 'img',
                 clean_key: str = 'gt',
                 rainy_half: Optional[str] = None) -> None:
        if rainy_half is not None and rainy_half not in _HALVES:
            raise ValueError(f'rainy_half must be one of {_HALVES} or None, '
                             f'got {rainy_half!r}.')
        self.key = key
        self.rainy_key = rainy_key
        self.clean_key = clean_key
        self.rainy_half = rainy_half

    def transform(self, results: dict) -> dict:
        """Split ``results[key]`` into the rainy and the clean half.

        Args:
            results (dict): Holds the side-by-side image under ``key``.

        Returns:
            dict: ``results`` with both halves.
        """
        path = results.get(f'{self.key}_path', f'results["{self.key}"]')
        rainy_half = self.rainy_half
        from_results = results.get('rainy_half')
        if rainy_half is None:
            if from_results is None:
                raise KeyError('SplitSideBySide: no rainy_half argument and '
                               'no "rainy_half" in the results (set by the '
                               'side-by-side datasets); cannot tell which '
                               'half of '
                               f'{path} is rainy.')
            rainy_half = from_results
        elif from_results is not None and from_results != rainy_half:
            raise ValueError(f'SplitSideBySide: rainy_half={rainy_half!r} '
                             f'contradicts the dataset\'s '
                             f'rainy_half={from_results!r} for {path}.')
        if rainy_half not in _HALVES:
            raise ValueError(f'rainy_half must be one of {_HALVES}, got '
                             f'{rainy_half!r}.')
        pair = results[self.key]
        width = pair.shape[1]
        if width % 2:
            raise ValueError(f'SplitSideBySide: {path} is {width} pixels '
                             'wide; a side-by-side pair must have an even '
                             'width.')
        left, right = pair[:, :width // 2], pair[:, width // 2:]
        rainy, clean = (left, right) if rainy_half == 'left' else (right, left)
        results[self.rainy_key] = rainy.copy()
        results[self.clean_key] = clean.copy()
        results[f'ori_{self.rainy_key}_shape'] = rainy.shape
        results[f'ori_{self.clean_key}_shape'] = clean.shape
        for suffix in ('channel_order', 'color_type'):
            if f'{self.key}_{suffix}' in results:
                value = results[f'{self.key}_{suffix}']
                results[f'{self.rainy_key}_{suffix}'] = value
                results[f'{self.clean_key}_{suffix}'] = value
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(key={self.key}, '
                f'rainy_key={self.rainy_key}, clean_key={self.clean_key}, '
                f'rainy_half={self.rainy_half})')
