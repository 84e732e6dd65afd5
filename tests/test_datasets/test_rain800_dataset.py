import cv2
import numpy as np
import pytest

from mmagic.registry import DATASETS

SPLIT_AND_PACK = [
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    dict(type='SplitSideBySide'),
    dict(type='PackInputs'),
]


def write_pair(path, left, right, size=6):
    path.parent.mkdir(parents=True, exist_ok=True)
    image = np.zeros((size, 2 * size, 3), np.uint8)
    image[:, :size], image[:, size:] = left, right
    assert cv2.imwrite(str(path), image)


def build(root, **kwargs):
    # Serializing costs a full gc.collect per build; test it once only.
    kwargs.setdefault('serialize_data', False)
    kwargs.setdefault('pipeline', SPLIT_AND_PACK)
    return DATASETS.build(
        dict(type='Rain800Dataset', data_root=str(root), **kwargs))


def test_release_order_is_clean_left_rainy_right(tmp_path, packed_values):
    write_pair(tmp_path / '2.png', left=50, right=200)
    write_pair(tmp_path / '10.png', left=60, right=210)
    dataset = build(tmp_path)
    assert len(dataset) == 2
    assert dataset.get_data_info(1)['key'] == '10'
    item = dataset[0]
    assert packed_values(item) == (200.0, 50.0)
    assert tuple(item['inputs'].shape) == (3, 6, 6)
    assert item['data_samples'].metainfo['ori_gt_shape'] == (6, 6, 3)


def test_rainy_half_is_configurable(tmp_path, packed_values):
    write_pair(tmp_path / '1.png', left=50, right=200)
    dataset = build(tmp_path, rainy_half='left')
    assert packed_values(dataset[0]) == (50.0, 200.0)


def test_pipeline_without_split_is_rejected(tmp_path, load_and_pack):
    write_pair(tmp_path / '1.png', left=50, right=200)
    with pytest.raises(ValueError, match='SplitSideBySide'):
        build(tmp_path, pipeline=load_and_pack)


def test_bad_rainy_half(tmp_path):
    with pytest.raises(ValueError, match='rainy_half'):
        build(tmp_path, rainy_half='top')


def test_missing_and_empty_folders_name_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match='test_syn'):
        build(tmp_path / 'test_syn')
    (tmp_path / 'training').mkdir()
    with pytest.raises(ValueError, match='training.*holds no image'):
        build(tmp_path / 'training')
