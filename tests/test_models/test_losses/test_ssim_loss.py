import numpy as np
import pytest
import torch
from scipy.ndimage import correlate

from mmagic.registry import MODELS
from mmderain.models.losses import SSIMLoss


def reference_ssim(x, y, size=11, sigma=1.5):
    """SSIM with a zero-padded Gaussian window, computed with scipy."""
    ax = np.arange(size) - (size - 1) / 2
    g = np.exp(-ax**2 / (2 * sigma**2))
    w = np.outer(g, g) / np.outer(g, g).sum()

    def blur(a):
        return correlate(a, w, mode='constant', cval=0.0)

    c1, c2 = 0.01**2, 0.03**2
    maps = []
    for xc, yc in zip(x, y):
        mx, my = blur(xc), blur(yc)
        vx = blur(xc * xc) - mx * mx
        vy = blur(yc * yc) - my * my
        cxy = blur(xc * yc) - mx * my
        maps.append((2 * mx * my + c1) * (2 * cxy + c2) /
                    ((mx * mx + my * my + c1) * (vx + vy + c2)))
    return np.mean(maps)


def test_value_against_reference():
    rng = np.random.default_rng(0)
    x = rng.random((3, 19, 23))
    y = np.clip(x + 0.1 * rng.standard_normal(x.shape), 0, 1)
    loss = SSIMLoss()(
        torch.from_numpy(x)[None].float(),
        torch.from_numpy(y)[None].float())
    assert loss.item() == pytest.approx(-reference_ssim(x, y), abs=1e-5)


def test_identical_images_give_minus_one_and_weight_scales():
    x = torch.rand(2, 3, 16, 16)
    assert SSIMLoss()(x, x).item() == pytest.approx(-1.0, abs=1e-5)
    assert SSIMLoss(loss_weight=0.5)(x, x).item() == pytest.approx(
        -0.5, abs=1e-5)


def test_reductions_and_registry():
    x, y = torch.rand(2, 3, 12, 12), torch.rand(2, 3, 12, 12)
    loss_map = MODELS.build(dict(type='SSIMLoss', reduction='none'))(x, y)
    assert loss_map.shape == x.shape
    assert SSIMLoss(reduction='sum')(x, y).item() == pytest.approx(
        loss_map.sum().item(), rel=1e-5)
    assert SSIMLoss()(x, y).item() == pytest.approx(
        loss_map.mean().item(), rel=1e-5)


def test_bad_arguments():
    with pytest.raises(ValueError, match='reduction'):
        SSIMLoss(reduction='avg')
    with pytest.raises(ValueError, match='window_size'):
        SSIMLoss(window_size=10)
    with pytest.raises(ValueError, match='shape'):
        SSIMLoss()(torch.rand(1, 3, 8, 8), torch.rand(1, 3, 8, 9))
