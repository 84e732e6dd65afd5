"""A fixed random subset of a dataset (TTL's "minority" of synthetic pairs).
"""
import copy
from typing import Optional, Union

import numpy as np
from mmengine.dataset import BaseDataset

from mmagic.registry import DATASETS


@DATASETS.register_module()
class RandomSubsetDataset:
    """Keep a fixed, randomly chosen part of a dataset.

    TTL fine-tunes the distilled student on a small share of the synthetic
    pairs ("Removing Rain Streaks via Task Transfer Learning": 6000 of the
    12000 training pairs of Rain1200). The subset depends only on ``seed``
    and the wrapped dataset's length, so every run and every stage that
    uses the same settings sees the same pairs.

    Args:
        dataset (BaseDataset | dict): The dataset (or its config).
        fraction (float, optional): Share of the samples to keep, in (0, 1].
        num_samples (int, optional): Number of samples to keep. Exactly one
            of ``fraction`` and ``num_samples`` must be given.
        seed (int): Seed of the selection. Default: 0.
        lazy_init (bool): Defer loading the wrapped dataset's annotations.
            Default: False.
    """

    def __init__(self,
                 dataset: Union[BaseDataset, dict],
                 fraction: Optional[float] = None,
                 num_samples: Optional[int] = None,
                 seed: int = 0,
                 lazy_init: bool = False) -> None:
        if (fraction is None) == (num_samples is None):
            raise ValueError('RandomSubsetDataset: give exactly one of '
                             'fraction and num_samples.')
        if fraction is not None and not 0 < fraction <= 1:
            raise ValueError(f'RandomSubsetDataset: fraction must be in '
                             f'(0, 1], got {fraction}.')
        if num_samples is not None and num_samples < 1:
            raise ValueError(f'RandomSubsetDataset: num_samples must be >= 1, '
                             f'got {num_samples}.')
        self.dataset = (
            DATASETS.build(dataset) if isinstance(dataset, dict) else dataset)
        self.fraction = fraction
        self.num_samples = num_samples
        self.seed = seed
        self._metainfo = self.dataset.metainfo
        self._fully_initialized = False
        if not lazy_init:
            self.full_init()

    @property
    def metainfo(self) -> dict:
        """Meta information of the wrapped dataset."""
        return copy.deepcopy(self._metainfo)

    def full_init(self) -> None:
        """Load the wrapped dataset and draw the subset."""
        if self._fully_initialized:
            return
        self.dataset.full_init()
        total = len(self.dataset)
        if self.num_samples is not None:
            if self.num_samples > total:
                raise ValueError(
                    f'RandomSubsetDataset: num_samples={self.num_samples} '
                    f'exceeds the {total} samples of the wrapped dataset.')
            keep = self.num_samples
        else:
            keep = max(1, int(round(self.fraction * total)))
        rng = np.random.default_rng(self.seed)
        self.indices = np.sort(rng.permutation(total)[:keep]).tolist()
        self._fully_initialized = True

    def get_data_info(self, idx: int) -> dict:
        """Annotation of the ``idx``-th kept sample."""
        self.full_init()
        return self.dataset.get_data_info(self.indices[idx])

    def __getitem__(self, idx: int) -> dict:
        self.full_init()
        return self.dataset[self.indices[idx]]

    def __len__(self) -> int:
        self.full_init()
        return len(self.indices)
