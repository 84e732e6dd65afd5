import pytest

from mmagic.registry import DATASETS


def make_spa(root, write_image, prefix='/real_test_1000', count=2):
    lines = []
    for i in range(count):
        write_image(root / 'real_test_1000' / 'rain' / f'{i:03d}.png', 100 + i)
        write_image(root / 'real_test_1000' / 'gt' / f'{i:03d}gt.png', i)
        lines.append(f'{prefix}/rain/{i:03d}.png {prefix}/gt/{i:03d}gt.png')
    (root / 'real_test_1000.txt').write_text('\n'.join(lines) + '\n\n')


def build(root, pipeline=(), **kwargs):
    # Serializing costs a full gc.collect per build; test it once only.
    kwargs.setdefault('serialize_data', False)
    return DATASETS.build(
        dict(
            type='SPADataset',
            data_root=str(root),
            pipeline=pipeline,
            test_mode=True,
            **kwargs))


@pytest.mark.parametrize('prefix', [
    '/real_test_1000', './real_test_1000', '/testing/real_test_1000',
    'real_test_1000'
])
def test_release_list_file(tmp_path, write_image, load_and_pack, packed_values,
                           prefix):
    make_spa(tmp_path, write_image, prefix)
    dataset = build(tmp_path, load_and_pack)
    assert len(dataset) == 2
    assert dataset.get_data_info(1)['key'] == '001'
    assert packed_values(dataset[1]) == (101.0, 1.0)


def test_missing_clean_image_names_line_and_path(tmp_path, write_image):
    make_spa(tmp_path, write_image)
    (tmp_path / 'real_test_1000' / 'gt' / '001gt.png').unlink()
    with pytest.raises(
            FileNotFoundError,
            match=r'rain/001\.png.*no clean partner.*001gt\.png'
            r'.*line 2'):
        build(tmp_path)


def test_missing_rainy_image_names_the_path(tmp_path, write_image):
    make_spa(tmp_path, write_image)
    (tmp_path / 'real_test_1000' / 'rain' / '000.png').unlink()
    with pytest.raises(FileNotFoundError, match=r'rain/000\.png.*line 1'):
        build(tmp_path)


def test_list_file_errors(tmp_path, write_image):
    with pytest.raises(FileNotFoundError, match='real_test_1000.txt'):
        build(tmp_path)
    (tmp_path / 'empty.txt').write_text('\n')
    with pytest.raises(ValueError, match='names no image pair'):
        build(tmp_path, ann_file='empty.txt')
    (tmp_path / 'bad.txt').write_text('a.png b.png c.png\n')
    with pytest.raises(ValueError, match='line 1.*rainy and a clean'):
        build(tmp_path, ann_file='bad.txt')
