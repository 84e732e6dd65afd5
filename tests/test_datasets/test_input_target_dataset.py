import pytest

from mmagic.registry import DATASETS


def build(root, pipeline=(), **kwargs):
    # Serializing costs a full gc.collect per build; test it once only.
    kwargs.setdefault('serialize_data', False)
    return DATASETS.build(
        dict(
            type='InputTargetDataset',
            data_root=str(root),
            pipeline=pipeline,
            **kwargs))


def test_input_target_layout(tmp_path, write_image, load_and_pack,
                             packed_values):
    for i in (1, 2, 11):
        write_image(tmp_path / 'input' / f'{i}.jpg', 100 + 4 * i)
        write_image(tmp_path / 'target' / f'{i}.png', 4 * i)
    dataset = build(tmp_path, load_and_pack)
    assert [dataset.get_data_info(i)['key']
            for i in range(3)] == ['1', '2', '11']
    assert dataset.get_data_info(0)['gt_path'].endswith('target/1.png')
    rainy, clean = packed_values(dataset[2])
    assert abs(rainy - 144) <= 1 and clean == 44.0


def test_errors_name_the_path(tmp_path, write_image):
    with pytest.raises(FileNotFoundError, match='input'):
        build(tmp_path)
    write_image(tmp_path / 'input' / '1.png', 1)
    with pytest.raises(FileNotFoundError, match='target'):
        build(tmp_path)
    write_image(tmp_path / 'target' / '2.png', 1)
    with pytest.raises(
            FileNotFoundError,
            match=r'input/1\.png.*no clean partner.*target/1'):
        build(tmp_path)
