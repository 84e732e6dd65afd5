import cv2
import numpy as np
import pytest

from mmagic.registry import DATASETS
from mmderain.datasets import RandomSubsetDataset, TTLImageDataset


def write_photos(folder, count, size=8):
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    for i in range(count):
        image = rng.integers(0, 256, (size, size, 3), np.uint8)
        cv2.imwrite(str(folder / f'photo_{i}.png'), image)
    (folder / 'notes.txt').write_text('not an image')
    return str(folder)


LOAD_AND_PACK = [
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    dict(type='PackInputs', keys='img'),
]


def test_labelled_photos_pack_their_label(tmp_path):
    root = write_photos(tmp_path / 'RealRain', 3)
    dataset = DATASETS.build(
        dict(
            type='TTLImageDataset',
            data_root=root,
            label=0,
            pipeline=LOAD_AND_PACK))
    assert len(dataset) == 3
    info = dataset.get_data_info(2)
    assert info['key'] == 'photo_2' and info['gt_label'] == 0
    assert info['img_path'].endswith('photo_2.png')
    item = dataset[0]
    assert item['inputs'].shape == (3, 8, 8)
    assert item['data_samples'].gt_label.label.tolist() == [0]


def test_unlabelled_photos_under_another_key(tmp_path):
    root = write_photos(tmp_path / 'RealClear', 2)
    dataset = TTLImageDataset(data_root=root, key='gt')
    info = dataset.get_data_info(0)
    assert 'gt_path' in info and 'img_path' not in info
    assert 'gt_label' not in info


def test_missing_or_empty_folders_are_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match='nowhere'):
        TTLImageDataset(data_root=str(tmp_path / 'nowhere'))
    (tmp_path / 'empty').mkdir()
    with pytest.raises(ValueError, match='empty'):
        TTLImageDataset(data_root=str(tmp_path / 'empty'))
    with pytest.raises(ValueError, match='data_root'):
        TTLImageDataset(data_root='')


def test_random_subset_is_fixed_by_its_seed(tmp_path):
    root = write_photos(tmp_path / 'photos', 10)
    cfg = dict(type='TTLImageDataset', data_root=root)
    half = DATASETS.build(
        dict(type='RandomSubsetDataset', dataset=cfg, fraction=0.5, seed=3))
    again = RandomSubsetDataset(TTLImageDataset(root), fraction=0.5, seed=3)
    other = RandomSubsetDataset(TTLImageDataset(root), fraction=0.5, seed=4)
    keys = [half.get_data_info(i)['key'] for i in range(len(half))]
    assert len(half) == 5 and len(set(keys)) == 5
    assert keys == [again.get_data_info(i)['key'] for i in range(5)]
    assert keys != [other.get_data_info(i)['key'] for i in range(5)]
    assert half.metainfo == TTLImageDataset(root).metainfo
    three = RandomSubsetDataset(TTLImageDataset(root), num_samples=3)
    assert len(three) == 3 and isinstance(three[0], dict)


@pytest.mark.parametrize('kwargs, match', [
    (dict(), 'exactly one'),
    (dict(fraction=0.5, num_samples=2), 'exactly one'),
    (dict(fraction=1.5), 'fraction'),
    (dict(num_samples=0), 'num_samples'),
    (dict(num_samples=11), 'exceeds'),
])
def test_random_subset_errors(tmp_path, kwargs, match):
    root = write_photos(tmp_path / 'photos', 10)
    with pytest.raises(ValueError, match=match):
        RandomSubsetDataset(TTLImageDataset(root), **kwargs)


def test_embedded_photos_come_loaded_like_folder_photos(tmp_path):
    root = write_photos(tmp_path / 'photos', 2, size=40)
    crop_pack = [
        dict(type='Crop', keys=['img'], crop_size=(16, 16)),
        dict(type='Flip', keys=['img'], direction='horizontal'),
        dict(type='PackInputs', keys='img'),
    ]
    embedded = TTLImageDataset(
        data_root='embedded', split='test', label=1, pipeline=crop_pack)
    assert len(embedded) == 2
    assert [embedded.get_data_info(i)['key']
            for i in range(2)] == ['coffee', 'china']
    info = embedded.get_data_info(0)
    assert info['img'].dtype == np.uint8 and info['img'].ndim == 3
    assert info['img'].flags.writeable  # transforms may work in place
    assert info['img_path'] == 'embedded/test/coffee.png'
    folder = TTLImageDataset(
        data_root=root,
        label=0,
        pipeline=[dict(type='LoadImageFromFile', key='img',
                       channel_order='rgb')] + crop_pack)
    a, b = embedded[0], folder[0]
    assert a['inputs'].shape == b['inputs'].shape == (3, 16, 16)
    a, b = a['data_samples'], b['data_samples']
    assert a.keys() == b.keys()
    assert a.metainfo_keys() == b.metainfo_keys()


def test_num_samples_cycles_over_the_photos(tmp_path):
    root = write_photos(tmp_path / 'photos', 3)
    dataset = TTLImageDataset(data_root=root, num_samples=7)
    assert len(dataset) == 7
    assert [dataset.get_data_info(i)['key'] for i in range(7)] == [
        f'photo_{i % 3}' for i in range(7)
    ]
    assert len(TTLImageDataset(data_root='embedded', num_samples=10)) == 10


def test_embedded_and_num_samples_errors():
    with pytest.raises(ValueError, match='split'):
        TTLImageDataset(data_root='embedded', split='val')
    with pytest.raises(ValueError, match='num_samples'):
        TTLImageDataset(data_root='embedded', num_samples=0)
