import cv2
import numpy as np
import pytest

from mmagic.registry import TRANSFORMS
from mmderain.datasets.transforms import AddGaussianBlur


def photo(seed=0, size=(24, 20)):
    return np.random.default_rng(seed).integers(0, 256, (*size, 3), np.uint8)


def test_blurs_the_clear_image_into_a_pair():
    clear = photo()
    results = AddGaussianBlur(sigma_range=(1.5, 1.5))(
        dict(gt=clear.copy(), gt_channel_order='rgb', key='a'))
    blurred = results['img']
    assert blurred.shape == clear.shape and blurred.dtype == np.uint8
    assert np.array_equal(results['gt'], clear)
    expected = cv2.GaussianBlur(
        clear, (11, 11), 1.5, borderType=cv2.BORDER_REFLECT_101)
    assert np.array_equal(blurred, expected)
    # blurring removes high-frequency energy
    assert np.abs(np.diff(blurred.astype(float), axis=1)).mean() < \
        np.abs(np.diff(clear.astype(float), axis=1)).mean() / 2
    assert results['img_channel_order'] == 'rgb'
    assert results['blur_sigma'] == 1.5


def test_random_width_and_seeded_determinism():
    blur = TRANSFORMS.build(
        dict(type='AddGaussianBlur', sigma_range=(0.5, 3.0), seed=7))
    first = blur(dict(gt=photo(), key='img-1'))
    again = blur(dict(gt=photo(), key='img-1'))
    other = blur(dict(gt=photo(), key='img-2'))
    assert first['blur_sigma'] == again['blur_sigma']
    assert np.array_equal(first['img'], again['img'])
    assert first['blur_sigma'] != other['blur_sigma']
    sigmas = {
        AddGaussianBlur()(dict(gt=photo()))['blur_sigma']
        for _ in range(20)
    }
    assert len(sigmas) > 10 and all(0.5 <= s <= 3.0 for s in sigmas)


def test_gray_images_keep_their_shape():
    gray = photo()[..., :1]
    assert AddGaussianBlur()(dict(gt=gray))['img'].shape == gray.shape


def test_errors():
    with pytest.raises(KeyError, match='"gt"'):
        AddGaussianBlur()(dict(img=photo()))
    with pytest.raises(ValueError, match='sigma_range'):
        AddGaussianBlur(sigma_range=(2.0, 1.0))
    with pytest.raises(ValueError, match='sigma_range'):
        AddGaussianBlur(sigma_range=(0.0, 1.0))
