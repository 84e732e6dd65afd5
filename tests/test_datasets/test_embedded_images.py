import numpy as np
import pytest

from mmderain.datasets import EMBEDDED_SPLITS, embedded_images
from mmderain.datasets.embedded_images import load_embedded_image


def test_splits_are_disjoint_colour_photos():
    train, test = EMBEDDED_SPLITS['train'], EMBEDDED_SPLITS['test']
    assert not set(train) & set(test)
    # Two views of one scene stay together.
    assert {'motorcycle_left', 'motorcycle_right'} <= set(train)
    for split in ('train', 'test'):
        for name, image in embedded_images(split):
            assert image.ndim == 3 and image.shape[2] == 3, name
            assert image.dtype == np.uint8 and min(image.shape[:2]) >= 256
            # Colour, not grey stored as RGB.
            assert np.abs(image[..., 0].astype(int) - image[..., 2]).mean() > 5


def test_images_are_cached_and_protected():
    first, second = load_embedded_image('coffee'), load_embedded_image(
        'coffee')
    assert first is second
    with pytest.raises(ValueError):
        first[0, 0, 0] = 0


def test_unknown_names():
    with pytest.raises(KeyError, match='Unknown embedded image'):
        load_embedded_image('lena')
    with pytest.raises(ValueError, match='Unknown split'):
        embedded_images('val')
