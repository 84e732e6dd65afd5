import math

import pytest
import torch

from mmagic.structures import DataSample
from mmderain.evaluation import evaluate_rainy_inputs


class PairList(list):
    """A minimal dataset: items as mmagic's PackInputs produces them."""


def make_item(clean, rainy):
    return dict(inputs=rainy, data_samples=DataSample(gt_img=clean))


def test_psnr_of_a_known_offset():
    clean = torch.full((3, 16, 16), 100, dtype=torch.uint8)
    rainy = clean + 10  # MSE 100 on every channel -> PSNR 10*log10(255^2/100)
    scores = evaluate_rainy_inputs(PairList([make_item(clean, rainy)] * 2))
    assert scores['RGB/PSNR'] == pytest.approx(
        10 * math.log10(255**2 / 100), abs=1e-6)
    # A grey offset moves Y by 10 * (65.481 + 128.553 + 24.966) / 255.
    y_offset = 10 * 219 / 255
    assert scores['Y/PSNR'] == pytest.approx(
        10 * math.log10(255**2 / y_offset**2), abs=1e-3)
    assert 0 < scores['RGB/SSIM'] <= 1


def test_empty_dataset_is_an_error():
    with pytest.raises(ValueError, match='empty'):
        evaluate_rainy_inputs(PairList())
