import pytest

from mmagic.registry import DATASETS
from mmderain.datasets import Rain100Dataset


def build(root, pipeline=(), **kwargs):
    # Serializing costs a full gc.collect per build; test it once only.
    kwargs.setdefault('serialize_data', False)
    return DATASETS.build(
        dict(
            type='Rain100Dataset',
            data_root=str(root),
            pipeline=pipeline,
            **kwargs))


def test_flat_training_layout(tmp_path, write_image, load_and_pack,
                              packed_values):
    # RainTrainH: rain-N.png + norain-N.png in one folder, no zero padding.
    for i in (1, 2, 10):
        write_image(tmp_path / f'rain-{i}.png', 10 * i + 5)
        write_image(tmp_path / f'norain-{i}.png', 10 * i)
    # Clean image whose rainy image was removed (PReNet drops 546).
    write_image(tmp_path / 'norain-3.png', 30)
    # RainTrainL extras that are neither rainy nor clean images.
    write_image(tmp_path / 'rainstreak-1.png', 0)
    write_image(tmp_path / 'rainregion-1.png', 0)
    dataset = build(tmp_path, load_and_pack, serialize_data=True)
    assert len(dataset) == 3
    assert [dataset.get_data_info(i)['key']
            for i in range(3)] == ['rain-1', 'rain-2', 'rain-10']
    info = dataset.get_data_info(2)
    assert info['img_path'].endswith('rain-10.png')
    assert info['gt_path'].endswith('norain-10.png')
    assert packed_values(dataset[2]) == (105.0, 100.0)


def test_rainy_subfolder_layout(tmp_path, write_image, load_and_pack,
                                packed_values):
    # Rain100H/L test release: rainy/rain-001.png, norain-001.png beside.
    for i in (1, 2):
        write_image(tmp_path / 'rainy' / f'rain-{i:03d}.png', 200 + i)
        write_image(tmp_path / f'norain-{i:03d}.png', 100 + i)
    dataset = build(tmp_path, load_and_pack, test_mode=True)
    assert len(dataset) == 2
    assert dataset.data_prefix['img'].rstrip('/').endswith('rainy')
    assert packed_values(dataset[1]) == (202.0, 102.0)


def test_rain_norain_folders(tmp_path, write_image, load_and_pack,
                             packed_values):
    write_image(tmp_path / 'rain' / 'rain-7.png', 77)
    write_image(tmp_path / 'norain' / 'norain-7.png', 70)
    dataset = build(tmp_path, load_and_pack)
    assert packed_values(dataset[0]) == (77.0, 70.0)


def test_custom_templates(tmp_path, write_image, load_and_pack, packed_values):
    # Updated JORDER release: rain/X2/norain-001x2.png + norain/norain-001.
    write_image(tmp_path / 'rain' / 'X2' / 'norain-001x2.png', 90)
    write_image(tmp_path / 'norain' / 'norain-001.png', 40)
    dataset = build(
        tmp_path,
        load_and_pack,
        data_prefix=dict(img='rain/X2', gt='norain'),
        filename_tmpl=dict(img='norain-{}x2', gt='norain-{}'))
    assert len(dataset) == 1
    assert packed_values(dataset[0]) == (90.0, 40.0)


def test_missing_folder_names_the_path(tmp_path):
    missing = tmp_path / 'Rain100H'
    with pytest.raises(FileNotFoundError, match='Rain100H'):
        build(missing)


def test_empty_folder_names_the_path(tmp_path):
    (tmp_path / 'rainy').mkdir()
    with pytest.raises(ValueError, match='rainy.*holds no image'):
        build(tmp_path)


def test_unpaired_rainy_image_names_the_path(tmp_path, write_image):
    write_image(tmp_path / 'rain-1.png', 1)
    write_image(tmp_path / 'norain-1.png', 1)
    write_image(tmp_path / 'rain-2.png', 2)
    with pytest.raises(
            FileNotFoundError,
            match=r'rain-2\.png.*no clean partner.*norain-2'):
        build(tmp_path)


def test_folder_without_rainy_names(tmp_path, write_image):
    write_image(tmp_path / 'image-1.png', 1)
    with pytest.raises(ValueError, match='rain-\\*'):
        build(tmp_path)


def test_template_needs_one_field(tmp_path, write_image):
    write_image(tmp_path / 'rain-1.png', 1)
    with pytest.raises(ValueError, match='exactly one'):
        Rain100Dataset(data_root=str(tmp_path), filename_tmpl=dict(img='rain'))
