"""Rain1200 (DID-MDN) and the generic side-by-side dataset."""
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


def build(root, type_='Rain1200Dataset', **kwargs):
    # Serializing costs a full gc.collect per build; not needed here.
    kwargs.setdefault('serialize_data', False)
    kwargs.setdefault('pipeline', SPLIT_AND_PACK)
    return DATASETS.build(dict(type=type_, data_root=str(root), **kwargs))


def training_layout(root, ids=(0, 2, 10)):
    for level, density in enumerate(('Rain_Heavy', 'Rain_Medium',
                                     'Rain_Light')):
        for i in ids:
            # rainy left (brighter for heavier rain), clean right
            write_pair(root / density / 'train2018new' / f'{i}.jpg',
                       left=250 - 50 * level, right=20)


def test_test_folder_is_rainy_left_clean_right(tmp_path, packed_values):
    for i in (0, 1, 10, 2):
        write_pair(tmp_path / f'{i}.jpg', left=200, right=50)
    dataset = build(tmp_path)
    assert [dataset.get_data_info(i)['key']
            for i in range(4)] == ['0', '1', '2', '10']
    rainy, clean = packed_values(dataset[0])
    assert abs(rainy - 200) < 3 and abs(clean - 50) < 3  # JPEG


def test_training_layout_reads_every_density(tmp_path, packed_values):
    training_layout(tmp_path)
    dataset = build(tmp_path)
    assert len(dataset) == 9
    keys = [dataset.get_data_info(i)['key'] for i in range(9)]
    assert keys[:3] == ['Rain_Heavy_0', 'Rain_Heavy_2', 'Rain_Heavy_10']
    assert len(set(keys)) == 9  # every density numbers its files from 0
    info = dataset.get_data_info(4)
    assert info['rain_density'] == 'Rain_Medium'
    assert info['rainy_half'] == 'left'
    rainy, clean = packed_values(dataset[8])
    assert abs(rainy - 150) < 3 and abs(clean - 20) < 3


def test_densities_pick_folders(tmp_path):
    training_layout(tmp_path)
    dataset = build(tmp_path, densities=['Rain_Light'])
    assert len(dataset) == 3
    assert dataset.get_data_info(0)['key'] == 'Rain_Light_0'
    with pytest.raises(ValueError, match='densities'):
        build(tmp_path, densities=['Rain_Drizzle'])


def test_a_missing_density_folder_is_named(tmp_path):
    write_pair(tmp_path / 'Rain_Heavy' / 'train2018new' / '0.jpg', 200, 50)
    with pytest.raises(FileNotFoundError, match='Rain_Medium/train2018new'):
        build(tmp_path)
    assert len(build(tmp_path, densities=['Rain_Heavy'])) == 1


def test_pipeline_must_split(tmp_path, load_and_pack):
    write_pair(tmp_path / '0.jpg', 200, 50)
    with pytest.raises(ValueError, match='Rain1200Dataset.*SplitSideBySide'):
        build(tmp_path, pipeline=load_and_pack)


def test_generic_side_by_side_needs_the_rainy_half(tmp_path, packed_values):
    write_pair(tmp_path / 'a.png', left=50, right=200)
    with pytest.raises(ValueError, match='SideBySideRainDataset: rainy_half'):
        build(tmp_path, type_='SideBySideRainDataset')
    dataset = build(
        tmp_path, type_='SideBySideRainDataset', rainy_half='right')
    assert packed_values(dataset[0]) == (200.0, 50.0)
