"""TTL's real-data fine-tuning and Test-I as the paper builds them: 6,000 of
the 12,000 DID-MDN training pairs, and 100 fixed pairs each of Rain1200,
Rain2800 (Rain14000's test ids) and Rain800."""
import copy
import glob
import os
import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine.config import Config
from mmengine.runner import Runner

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
FINETUNE = sorted(
    glob.glob(osp.join(ROOT, 'configs', 'ttl', '*derain*_100k_*.py')) +
    glob.glob(osp.join(ROOT, 'configs', 'ttl', '*_v2_100k_*.py')))
DENSITIES = ('Rain_Heavy', 'Rain_Medium', 'Rain_Light')


def side_by_side(path, left, right, size=(260, 270)):
    image = np.zeros((size[0], 2 * size[1], 3), np.uint8)
    image[:, :size[1]], image[:, size[1]:] = left, right
    path.parent.mkdir(parents=True, exist_ok=True)
    assert cv2.imwrite(str(path), image)
    return path


def link_all(source, paths):
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.link(source, path)


@pytest.fixture(scope='module')
def data(tmp_path_factory):
    """data/ with the DID-MDN release, Rain14000 and Rain800 test_syn;
    every file of a set is a hard link to one image."""
    tmp = tmp_path_factory.mktemp('ttl_real')
    data = tmp / 'data'
    # DID-MDN: rainy (200) left, clean (50) right.
    did = side_by_side(tmp / 'did.png', left=200, right=50)
    link_all(did, [
        data / 'Rain1200' / 'DID-MDN-training' / density / 'train2018new' /
        f'{i}.jpg' for density in DENSITIES for i in range(4000)
    ])
    link_all(did, [
        data / 'Rain1200' / 'DID-MDN-datasets' / 'DID-MDN-test' / f'{i}.jpg'
        for i in range(1200)
    ])
    # Rain800: clean (50) left, rainy (200) right.
    rain800 = side_by_side(tmp / 'rain800.png', left=50, right=200)
    link_all(rain800, [
        data / 'Rain800' / 'test_syn' / f'{i}.jpg' for i in range(1, 101)
    ])
    image = tmp / 'plain.png'
    assert cv2.imwrite(str(image), np.zeros((260, 270, 3), np.uint8))
    link_all(image, [
        data / 'Rain14000' / 'ground_truth' / f'{i}.jpg'
        for i in range(851, 1001)
    ])
    link_all(image, [
        data / 'Rain14000' / 'rainy_image' / f'{i}_{t}.jpg'
        for i in range(851, 1001) for t in range(1, 15)
    ])
    return str(data)


def relocate(dataset, root):
    """A copy of a dataset config (maybe wrapped) reading from ``root``."""
    dataset = copy.deepcopy(dataset)
    inner = dataset.get('dataset', dataset)
    assert inner.data_root.startswith('data/'), inner.data_root
    inner.data_root = root + inner.data_root[len('data'):]
    inner.serialize_data = False  # skips a slow gc.collect per build
    return dataset


def build(dataset, root):
    return Runner.build_dataloader(
        dict(
            batch_size=1,
            num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=False),
            dataset=relocate(dataset, root))).dataset


@pytest.fixture(scope='module')
def derain():
    return Config.fromfile(
        osp.join(ROOT, 'configs', 'ttl',
                 'aglf-vit_ttl-derain_100k_rain1200.py'))


def test_finetuning_configs_share_the_data(derain):
    assert len(FINETUNE) == 4
    for path in FINETUNE:
        cfg = Config.fromfile(path)
        assert cfg.train_dataloader.dataset == derain.train_dataloader.dataset
        assert [d.dataset for d in cfg.test_dataloader
                ] == [d.dataset for d in derain.test_dataloader]
        prefixes = [evaluators[0].prefix for evaluators in cfg.test_evaluator]
        assert prefixes == [
            'test1-rain1200-Y', 'test1-rain2800-Y', 'test1-rain800-Y', 'spa-Y'
        ]


def test_finetuning_draws_6000_fixed_did_mdn_pairs(derain, data):
    cfg = derain.train_dataloader.dataset
    assert cfg.type == 'RandomSubsetDataset'
    assert cfg.dataset.type == 'Rain1200Dataset'
    subset = build(cfg, data)
    assert len(subset.dataset) == 12000
    assert len(subset) == 6000
    again = build(cfg, data)
    assert again.indices == subset.indices
    densities = [
        subset.get_data_info(i)['rain_density'] for i in range(len(subset))
    ]
    assert set(densities) == set(DENSITIES)
    item = subset[0]
    # the left half is rainy in DID-MDN; 256x256 random crops
    assert tuple(item['inputs'].shape) == (3, 256, 256)
    assert float(item['inputs'].float().mean()) == 200.0
    assert float(item['data_samples'].gt_img.float().mean()) == 50.0


def test_test1_is_100_fixed_pairs_of_each_set(derain, data):
    loaders = derain.test_dataloader
    assert len(loaders) == 4 and loaders[3].dataset.type == 'SPADataset'
    expected = [('Rain1200Dataset', 1200), ('Rain14000Dataset', 1400),
                ('Rain800Dataset', 100)]
    for loader, (type_, total) in zip(loaders[:3], expected):
        cfg = loader.dataset
        assert cfg.type == 'RandomSubsetDataset' and cfg.dataset.type == type_
        subset = build(cfg, data)
        assert len(subset.dataset) == total, type_
        assert len(subset) == 100, type_
        assert build(cfg, data).indices == subset.indices
        infos = [subset.get_data_info(i) for i in range(100)]
        assert len({info['key'] for info in infos}) == 100
        if type_ == 'Rain14000Dataset':
            # Rain2800 read as Rain14000's test ids (Rain1400)
            assert all(901 <= info['clean_id'] <= 1000 for info in infos)
        item = subset[0]
        assert float(item['inputs'].float().mean()) == (
            0.0 if type_ == 'Rain14000Dataset' else 200.0)
