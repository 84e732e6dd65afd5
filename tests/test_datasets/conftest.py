"""Helpers for the dataset tests: tiny images written by the tests."""
import cv2
import numpy as np
import pytest


def _write(path, value, size=(6, 8)):
    """Write a flat RGB image of ``value`` (so pairs can be told apart)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = np.full((size[0], size[1], 3), value, np.uint8)
    assert cv2.imwrite(str(path), image)
    return str(path)


@pytest.fixture
def write_image():
    """``write_image(path, value, size=(h, w))`` writes a flat image."""
    return _write


@pytest.fixture
def load_and_pack():
    """The real datasets' test pipeline: load both images, pack."""
    return [
        dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
        dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
        dict(type='PackInputs'),
    ]


def pair_values(item):
    """Mean value of the packed rainy input and of the clean target."""
    return (float(item['inputs'].float().mean()),
            float(item['data_samples'].gt_img.float().mean()))


@pytest.fixture
def packed_values():
    """``packed_values(item) -> (rainy mean, clean mean)``."""
    return pair_values
