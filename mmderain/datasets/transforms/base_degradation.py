"""Shared logic of transforms that make a degraded copy of a clean image."""
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform

from .random_state import deterministic_rng, fresh_rng


class BaseDegradation(BaseTransform):
    """Write a degraded version of the image under ``key`` to ``output_key``.

    Subclasses implement :meth:`degrade`. This class picks the random
    generator (fresh per call for training; a function of ``seed`` and the
    sample's name for test sets) and copies the clean image's loading
    metadata to the output, so mmagic's ``PackInputs`` and metrics treat the
    degraded image like a loaded one.

    Args:
        key (str): Key of the clean image. Default: ``'gt'``.
        output_key (str): Key written with the degraded image.
            Default: ``'img'``.
        seed (int, optional): None draws new randomness on every call
            (different per dataloader worker and epoch). An int makes it a
            function of the seed and the sample's ``key`` (or the clean
            image's path), as a test set needs. Default: None.
    """

    def __init__(self,
                 key: str = 'gt',
                 output_key: str = 'img',
                 seed: Optional[int] = None) -> None:
        self.key = key
        self.output_key = output_key
        self.seed = seed

    def degrade(self, image: np.ndarray, rng: np.random.Generator,
                results: dict) -> np.ndarray:
        """Return the degraded image; may add entries to ``results``."""
        raise NotImplementedError

    def transform(self, results: dict) -> dict:
        """Add the degraded image to ``results``.

        Args:
            results (dict): Must hold the clean image under ``self.key``.

        Returns:
            dict: ``results`` with the degraded image under ``output_key``.
        """
        if self.key not in results:
            raise KeyError(
                f'{self.__class__.__name__}: no clean image under key '
                f'"{self.key}"; available keys: {sorted(results)}.')
        if self.seed is None:
            rng = fresh_rng()
        else:
            name = results.get('key', results.get(f'{self.key}_path', ''))
            rng = deterministic_rng(self.seed, str(name))
        clean = results[self.key]
        results[self.output_key] = self.degrade(clean, rng, results)
        for suffix in ('channel_order', 'color_type'):
            if f'{self.key}_{suffix}' in results:
                results[f'{self.output_key}_{suffix}'] = results[
                    f'{self.key}_{suffix}']
        results[f'ori_{self.output_key}_shape'] = clean.shape
        return results
