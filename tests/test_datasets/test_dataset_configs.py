"""configs/_base_/datasets/*.py define the contract's names and build."""
import copy
import os.path as osp

import numpy as np
import pytest
from mmengine.config import Config

from mmagic.registry import DATASETS
import mmderain  # noqa: F401  (registers the datasets)

CONFIGS = osp.join(
    osp.dirname(__file__), '..', '..', 'configs', '_base_', 'datasets')
SYNTHETIC_SETS = [
    'syn_rain100h_train', 'syn_rain100h_test', 'syn_rain800_train',
    'syn_rain800_test', 'syn_rain14000_train', 'syn_rain14000_test',
    'syn_rain100l_train', 'syn_rain100l_test', 'syn_heldout_test'
]
REAL_SETS = [
    'rain100h_train', 'rain100h_test', 'rain800_train', 'rain800_test',
    'rain14000_train', 'rain14000_test', 'rain100l_train', 'rain100l_test',
    'spa_test'
]


@pytest.fixture(scope='module')
def synthetic():
    return Config.fromfile(osp.join(CONFIGS, 'synthetic_rain.py'))


@pytest.fixture(scope='module')
def real():
    return Config.fromfile(osp.join(CONFIGS, 'rain_datasets.py'))


def test_synthetic_sets_build(synthetic):
    assert synthetic.syn_train_pipeline and synthetic.syn_test_pipeline
    first_rainy = {}
    for name in SYNTHETIC_SETS:
        dataset = DATASETS.build(copy.deepcopy(synthetic[name]))
        item = dataset[0]
        size = (
            synthetic.syn_patch_size
            if name.endswith('_train') else synthetic.syn_test_size)
        assert tuple(item['inputs'].shape) == (3, size, size), name
        assert dataset.test_mode == name.endswith('_test')
        if name.endswith('_test'):
            assert len(dataset) <= 64
            first_rainy[name] = item['inputs'].numpy()
    # Same photo crops, different rain in every test set.
    names = sorted(first_rainy)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert not np.array_equal(first_rainy[a], first_rainy[b]), (a, b)


def test_real_sets_build_on_the_documented_layout(real, real_rain_layout):
    assert real.train_pipeline and real.test_pipeline
    root = real_rain_layout
    for name in REAL_SETS:
        cfg = copy.deepcopy(real[name])
        cfg['data_root'] = cfg['data_root'].replace('data', str(root), 1)
        cfg['serialize_data'] = False  # skips a slow gc.collect per build
        dataset = DATASETS.build(cfg)
        # 110x120 images hold one 100x100 grid patch; RainTrainL adds the
        # patch of the flipped pair.
        assert len(dataset) == (2 if name == 'rain100l_train' else 1), name
        item = dataset[0]
        size = ((3, real.patch_size,
                 real.patch_size) if name.endswith('_train') else
                (3, 110, 120))
        assert tuple(item['inputs'].shape) == size, name
        assert item['data_samples'].gt_img.shape == size, name
    rain14000_train = DATASETS.build(
        dict(
            real.rain14000_train,
            data_root=str(root / 'Rain14000'),
            serialize_data=False))
    assert rain14000_train.get_data_info(0)['clean_id'] == 900
