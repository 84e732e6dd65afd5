"""PSNR/SSIM of the rainy inputs themselves: the "no de-raining" baseline.

A de-raining result means little without the score of doing nothing. This
computes it for any dataset config, with the same mmagic metric functions
(and Y-channel conversion) the evaluators use.
"""
from typing import Dict, Union

import numpy as np
from mmengine.dataset import BaseDataset

from mmagic.evaluation.metrics.psnr import psnr
from mmagic.evaluation.metrics.ssim import ssim
from mmagic.registry import DATASETS


def evaluate_rainy_inputs(
        dataset: Union[dict, BaseDataset]) -> Dict[str, float]:
    """Mean PSNR and SSIM of the rainy inputs against their clean images.

    Args:
        dataset (dict | BaseDataset): A dataset (or its config) whose items,
            after the pipeline, hold the rainy image in ``inputs`` and the
            clean one in ``data_samples.gt_img`` (mmagic's ``PackInputs``).

    Returns:
        dict: ``Y/PSNR``, ``Y/SSIM``, ``RGB/PSNR``, ``RGB/SSIM`` averaged over
        the dataset, keyed like the configs' evaluators.
    """
    if isinstance(dataset, dict):
        dataset = DATASETS.build(dataset)
    if len(dataset) == 0:
        raise ValueError('evaluate_rainy_inputs got an empty dataset.')
    scores = {'Y/PSNR': [], 'Y/SSIM': [], 'RGB/PSNR': [], 'RGB/SSIM': []}
    for i in range(len(dataset)):
        item = dataset[i]
        rainy = item['inputs'].numpy().astype(np.float64)
        clean = item['data_samples'].gt_img.numpy().astype(np.float64)
        for space, convert_to in (('Y', 'Y'), ('RGB', None)):
            kwargs = dict(input_order='CHW', convert_to=convert_to)
            scores[f'{space}/PSNR'].append(psnr(clean, rainy, **kwargs))
            scores[f'{space}/SSIM'].append(ssim(clean, rainy, **kwargs))
    return {key: float(np.mean(values)) for key, values in scores.items()}
