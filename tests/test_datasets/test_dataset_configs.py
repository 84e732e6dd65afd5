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
RENDERED_SETS = [
    'rendered_rain100h_train', 'rendered_rain100h_test',
    'rendered_rain800_train', 'rendered_rain800_test',
    'rendered_rain14000_train', 'rendered_rain14000_test',
    'rendered_rain100l_train', 'rendered_rain100l_test',
    'rendered_heldout_test'
]
PUBLIC_SETS = [
    'rain100h_train', 'rain100h_test', 'rain800_train', 'rain800_test',
    'rain14000_train', 'rain14000_test', 'rain100l_train', 'rain100l_test',
    'spa_test'
]


@pytest.fixture(scope='module')
def rendered():
    return Config.fromfile(osp.join(CONFIGS, 'rendered_rain.py'))


@pytest.fixture(scope='module')
def public():
    return Config.fromfile(osp.join(CONFIGS, 'rain_datasets.py'))


def test_rendered_sets_build(rendered):
    assert rendered.rendered_train_pipeline and rendered.rendered_test_pipeline
    first_rainy = {}
    for name in RENDERED_SETS:
        dataset = DATASETS.build(copy.deepcopy(rendered[name]))
        item = dataset[0]
        size = (
            rendered.rendered_patch_size
            if name.endswith('_train') else rendered.rendered_test_size)
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


def test_public_sets_build_on_the_documented_layout(public,
                                                    public_data_layout):
    assert public.train_pipeline and public.test_pipeline
    root = public_data_layout
    for name in PUBLIC_SETS:
        cfg = copy.deepcopy(public[name])
        cfg['data_root'] = cfg['data_root'].replace('data', str(root), 1)
        cfg['serialize_data'] = False  # skips a slow gc.collect per build
        dataset = DATASETS.build(cfg)
        # 110x120 images hold one 100x100 grid patch; RainTrainL adds the
        # patch of the flipped pair.
        assert len(dataset) == (2 if name == 'rain100l_train' else 1), name
        item = dataset[0]
        size = ((3, public.patch_size,
                 public.patch_size) if name.endswith('_train') else
                (3, 110, 120))
        assert tuple(item['inputs'].shape) == size, name
        assert item['data_samples'].gt_img.shape == size, name
    rain14000_train = DATASETS.build(
        dict(
            public.rain14000_train,
            data_root=str(root / 'Rain14000'),
            serialize_data=False))
    assert rain14000_train.get_data_info(0)['clean_id'] == 900


@pytest.mark.parametrize('fragment,name,root', [
    ('raintrain.py', 'raintrainh', 'data/RainTrainH'),
    ('real_video_pairs.py', 'real_video', 'data/real_video_pairs'),
])
def test_optional_evaluation_sets_read_their_layout(tmp_path, write_image,
                                                    fragment, name, root):
    # RainTrainH and the pairs of tools/dataset_converters/video_to_pairs.py
    # are flat rain-N.png / norain-N.png folders; the converter's
    # provenance and moving-object mask sit beside the pairs.
    from mmderain.datasets.converters.video_pairs import (MOVING_MASK_FILE,
                                                          PROVENANCE_FILE)
    cfg = Config.fromfile(osp.join(CONFIGS, fragment))
    for i in (1, 2, 10):
        write_image(tmp_path / f'rain-{i}.png', 200, size=(200, 250))
        write_image(tmp_path / f'norain-{i}.png', 100, size=(200, 250))
    write_image(tmp_path / MOVING_MASK_FILE, 0, size=(200, 250))
    (tmp_path / PROVENANCE_FILE).write_text('{}\n')
    full, crop = cfg[f'{name}_test'], cfg[f'{name}_test_crop']
    assert full.data_root == crop.data_root == root
    for dataset_cfg, size in ((full, (200, 250)), (crop, (192, 192))):
        dataset = DATASETS.build(dict(dataset_cfg, data_root=str(tmp_path)))
        assert [dataset.get_data_info(i)['key'] for i in range(3)
                ] == ['rain-1', 'rain-2', 'rain-10']
        item = dataset[2]
        assert tuple(item['inputs'].shape) == (3, ) + size
        assert float(item['inputs'].float().mean()) == 200
        assert float(item['data_samples'].gt_img.float().mean()) == 100
    loader = cfg[f'{name}_test_crop_loader']
    assert loader.optional_name.endswith('-c192')
    assert cfg[f'{name}_test_loader'].optional_name == (
        loader.optional_name[:-len('-c192')])
