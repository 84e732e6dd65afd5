"""PairedCenterCrop: mmagic's centre crop, refusing images that differ in
size."""
import numpy as np
import pytest
from mmagic.datasets.transforms import Crop

from mmderain.datasets.transforms import PairedCenterCrop


def _pair(gt_shape=(21, 30, 3)):
    rng = np.random.default_rng(0)
    return dict(
        img=rng.integers(0, 256, (21, 30, 3), np.uint8),
        gt=rng.integers(0, 256, gt_shape, np.uint8),
        img_path='rain-1.png',
        gt_path='norain-1.png')


@pytest.mark.parametrize('crop_size', [(8, 12), (21, 30), (40, 40)])
def test_crops_exactly_like_mmagic_centre_crop(crop_size):
    ours = PairedCenterCrop(crop_size=crop_size)(_pair())
    theirs = Crop(keys=['img', 'gt'], crop_size=crop_size,
                  random_crop=False)(_pair())
    assert set(ours) == set(theirs)
    for key in ('img', 'gt'):
        np.testing.assert_array_equal(ours[key], theirs[key])
        assert ours[f'{key}_crop_bbox'] == theirs[f'{key}_crop_bbox']
    assert ours['img'].shape[:2] == tuple(
        min(c, s) for c, s in zip(crop_size, (21, 30)))


def test_images_of_different_sizes_are_refused_by_name():
    with pytest.raises(ValueError, match='img "rain-1.png" is 30x21, gt '
                       '"norain-1.png" is 28x21'):
        PairedCenterCrop(crop_size=(8, 8))(_pair((21, 28, 3)))
