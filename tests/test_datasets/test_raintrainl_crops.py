"""Image files with the release's naming: tiny crops of RainTrainL pairs
(tests/data/README.md) read by the dataset classes that take that folder."""
import os.path as osp

import numpy as np
import pytest

from mmagic.registry import DATASETS
from mmderain.datasets import inspect_pairs, run_check

RAIN_TRAIN_L = osp.join(
    osp.dirname(osp.dirname(osp.abspath(__file__))), 'data', 'RainTrainL')
# Natural order; as strings they would sort 100, 12, 160, 7.
IDS = [7, 12, 100, 160]
LOAD_AND_PACK = [
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
    dict(type='PackInputs'),
]


def build(cfg):
    # Serializing costs a full gc.collect per build; not needed here.
    return DATASETS.build(dict(cfg, serialize_data=False))


def rain100(**kwargs):
    kwargs.setdefault('pipeline', LOAD_AND_PACK)
    return build(
        dict(type='Rain100Dataset', data_root=RAIN_TRAIN_L, **kwargs))


def test_flat_layout_in_natural_order():
    dataset = rain100()
    # flat: rainy and clean images in one folder
    assert {osp.normpath(p) for p in dataset.data_prefix.values()
            } == {RAIN_TRAIN_L}
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    assert [info['key'] for info in infos] == [f'rain-{i}' for i in IDS]
    for i, info in zip(IDS, infos):
        assert osp.basename(info['img_path']) == f'rain-{i}.png'
        assert osp.basename(info['gt_path']) == f'norain-{i}.png'


def test_raintrainl_pairs_load_as_rainy_and_clean():
    dataset = rain100()
    for index, image_id in enumerate(IDS):
        item = dataset[index]
        rainy = item['inputs'].numpy().astype(np.int16)
        clean = item['data_samples'].gt_img.numpy().astype(np.int16)
        # id 12 is a portrait image in the release
        assert rainy.shape == clean.shape == (
            (3, 48, 32) if image_id == 12 else (3, 32, 48))
        # Rain streaks add light: the rainy crop is brighter on average,
        # and the two are different photos of the same scene.
        assert (rainy - clean).mean() > 1, image_id
        assert np.corrcoef(rainy.ravel(), clean.ravel())[0, 1] > 0.3


@pytest.mark.parametrize('id_range, ids', [((1, 158), [7, 12, 100]),
                                           ((159, 200), [160]),
                                           ((12, 12), [12])])
def test_id_range_selects_by_number(id_range, ids):
    dataset = rain100(id_range=id_range)
    assert [dataset.get_data_info(i)['key']
            for i in range(len(dataset))] == [f'rain-{i}' for i in ids]


def test_patch_grid_on_image_files():
    pipeline = LOAD_AND_PACK[:2] + [
        dict(type='CropGridPatch'),
        dict(type='PackInputs')
    ]
    dataset = rain100(
        patch_grid=dict(size=16, stride=16, hflip_copy=True),
        pipeline=pipeline)
    # 48x32 crops: 3 x 2 patches; the portrait 32x48 one: 2 x 3.
    assert len(dataset) == len(IDS) * 2 * 6
    whole = rain100()[0]['inputs']
    first = dataset[0]['inputs']
    assert first.shape == (3, 16, 16)
    assert np.array_equal(first.numpy(), whole[:, :16, :16].numpy())


def test_rendered_twin_renders_over_the_clean_images():
    # RenderedRainDataset with a paired dataset as clean_source renders
    # rain over the clean image of every pair, never over a rainy one.
    dataset = build(
        dict(
            type='RenderedRainDataset',
            clean_source=dict(
                type='Rain100Dataset',
                data_root=RAIN_TRAIN_L,
                id_range=(1, 158)),
            img_size=32,
            random_scale=False,
            test_mode=True,
            pipeline=[dict(type='PackInputs')]))
    names = [dataset.get_data_info(i)['clean_name'] for i in range(3)]
    assert names == ['norain-7', 'norain-12', 'norain-100']
    clean = dataset[0]['data_samples'].gt_img.numpy().transpose(1, 2, 0)
    source = rain100()[0]['data_samples'].gt_img.numpy().transpose(1, 2, 0)
    # A native-resolution 32x32 window of the 48x32 clean crop of id 7.
    assert any(
        np.array_equal(clean, source[:, left:left + 32])
        for left in range(17))


def test_raintrainl_crops_pass_the_quick_and_the_full_check():
    dataset = rain100(check_pairs=False)
    pairs = [(info['key'], info['img_path'], info['gt_path'])
             for info in map(dataset.get_data_info, range(len(dataset)))]
    for full in (False, True):
        report = inspect_pairs(pairs, full=full)
        assert not report.problems, full
        assert report.num_items == len(IDS)
        assert report.num_files == 2 * len(IDS)
        assert report.sizes[pairs[1][1:]] == (48, 32)
    summary, passed = run_check([RAIN_TRAIN_L])
    assert passed, summary
    assert summary.splitlines()[-1].startswith(
        f'OK: {len(IDS)} pairs and 0 images, {2 * len(IDS)} files decoded')
