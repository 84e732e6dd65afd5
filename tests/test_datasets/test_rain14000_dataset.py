import pytest

from mmagic.registry import DATASETS


def make_rain14000(root, write_image, ids, types=14):
    for clean_id in ids:
        write_image(root / 'ground_truth' / f'{clean_id}.jpg', 4 * clean_id)
        for rain_type in range(1, types + 1):
            write_image(root / 'rainy_image' / f'{clean_id}_{rain_type}.jpg',
                        4 * clean_id + 2)


def build(root, pipeline=(), **kwargs):
    # Serializing costs a full gc.collect per build; test it once only.
    kwargs.setdefault('serialize_data', False)
    return DATASETS.build(
        dict(
            type='Rain14000Dataset',
            data_root=str(root),
            pipeline=pipeline,
            **kwargs))


def test_layout_and_id_split(tmp_path, write_image, load_and_pack,
                             packed_values):
    make_rain14000(tmp_path, write_image, ids=(1, 2, 3))
    assert len(build(tmp_path)) == 42
    train = build(tmp_path, load_and_pack, id_range=(1, 2))
    test = build(tmp_path, load_and_pack, id_range=(3, 3), test_mode=True)
    assert len(train) == 28 and len(test) == 14
    train_ids = {train.get_data_info(i)['clean_id'] for i in range(28)}
    assert train_ids == {1, 2}
    info = test.get_data_info(13)
    assert info['key'] == '3_14' and info['rain_type'] == 14
    assert info['gt_path'].endswith('ground_truth/3.jpg')
    rainy, clean = packed_values(test[0])
    assert abs(rainy - 14) <= 1 and abs(clean - 12) <= 1


def test_unpaired_rainy_image_names_the_path(tmp_path, write_image):
    make_rain14000(tmp_path, write_image, ids=(1, ), types=2)
    write_image(tmp_path / 'rainy_image' / '7_1.jpg', 0)
    with pytest.raises(
            FileNotFoundError,
            match=r'7_1\.jpg.*no clean partner.*ground_truth/7'):
        build(tmp_path)


def test_misnamed_rainy_image_names_the_path(tmp_path, write_image):
    make_rain14000(tmp_path, write_image, ids=(1, ), types=1)
    write_image(tmp_path / 'rainy_image' / 'rain_1.jpg', 0)
    with pytest.raises(ValueError, match=r'rain_1\.jpg.*<clean id>_<rain'):
        build(tmp_path)


def test_missing_and_empty_folders_name_the_path(tmp_path, write_image):
    with pytest.raises(FileNotFoundError, match='rainy_image'):
        build(tmp_path)
    write_image(tmp_path / 'rainy_image' / '1_1.jpg', 0)
    (tmp_path / 'ground_truth').mkdir()
    with pytest.raises(ValueError, match='ground_truth.*holds no image'):
        build(tmp_path)


def test_id_range_checks(tmp_path, write_image):
    make_rain14000(tmp_path, write_image, ids=(1, ), types=1)
    with pytest.raises(ValueError, match='no rainy image.*id_range'):
        build(tmp_path, id_range=(901, 1000))
    with pytest.raises(ValueError, match='first <= last'):
        build(tmp_path, id_range=(5, 1))
