"""Test setup shared by the whole suite."""
import cv2
import numpy as np
import pytest
from mmengine.registry import init_default_scope

import mmderain  # noqa: F401  (registers our modules into mmagic's registries)


@pytest.fixture(autouse=True)
def _mmagic_scope():
    # Configs name modules without a scope prefix; mmengine's root
    # registries find mmagic's (and ours) only under the 'mmagic' default
    # scope, which some tests clear between runners.
    init_default_scope('mmagic')


def _write_image(path, image):
    path.parent.mkdir(parents=True, exist_ok=True)
    assert cv2.imwrite(str(path), image)


@pytest.fixture
def public_data_layout(tmp_path):
    """``tmp_path/data`` with one pair of every public rain set, in the
    folder layout that ``configs/_base_/datasets/rain_datasets.py`` reads.

    Images are 110x120 random noise: one 100x100 grid patch each (Rain800
    files are side by side, so twice as wide).
    """
    rng = np.random.default_rng(0)

    def image(width=120):
        return rng.integers(0, 256, (110, width, 3), np.uint8)

    root = tmp_path / 'data'
    for train, test in (('RainTrainH', 'Rain100H'), ('RainTrainL',
                                                     'Rain100L')):
        _write_image(root / train / 'rain-1.png', image())
        _write_image(root / train / 'norain-1.png', image())
        _write_image(root / test / 'rainy' / 'rain-001.png', image())
        _write_image(root / test / 'norain-001.png', image())
    for split in ('training', 'test_syn'):
        _write_image(root / 'Rain800' / split / '1.png', image(width=240))
    # Rain14000: ids up to 900 train (Rain12600), the rest test.
    for clean_id in (900, 901):
        _write_image(root / 'Rain14000' / 'ground_truth' / f'{clean_id}.png',
                     image())
        _write_image(
            root / 'Rain14000' / 'rainy_image' / f'{clean_id}_1.png', image())
    spa = root / 'SPA-Data' / 'testing'
    _write_image(spa / 'real_test_1000' / 'rain' / '000.png', image())
    _write_image(spa / 'real_test_1000' / 'gt' / '000gt.png', image())
    (spa / 'real_test_1000.txt').write_text(
        '/real_test_1000/rain/000.png /real_test_1000/gt/000gt.png\n')
    return root
