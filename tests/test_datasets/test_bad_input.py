"""Bad input to the paired rain datasets: a clear error naming the file, or
a documented conversion (see BaseRainDataset)."""
import cv2
import numpy as np
import pytest
import torch
from mmagic.registry import DATASETS, MODELS

TRAIN_PIPELINE = [
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
    dict(type='SetValues', dictionary=dict(scale=1)),
    dict(type='PairedRandomCrop', gt_patch_size=16),
    dict(type='PackInputs'),
]
TEST_PIPELINE = TRAIN_PIPELINE[:2] + [dict(type='PackInputs')]


def _clean(height=20, width=24):
    return np.random.default_rng(0).integers(0, 256, (height, width, 3),
                                             np.uint8)


def _dataset(root, pipeline=TRAIN_PIPELINE, **kwargs):
    return DATASETS.build(
        dict(
            type='Rain100Dataset',
            data_root=str(root),
            pipeline=pipeline,
            **kwargs))


def _pair(root, rainy, clean, index=1):
    root.mkdir(exist_ok=True)
    cv2.imwrite(str(root / f'rain-{index}.png'), rainy)
    cv2.imwrite(str(root / f'norain-{index}.png'), clean)


def test_gray_rgba_and_16_bit_images_become_8_bit_rgb(tmp_path):
    bgr = _clean()
    gray = bgr[..., 0]
    _pair(tmp_path / 'gray', gray, gray)
    _pair(tmp_path / 'rgba', np.dstack([bgr, bgr[..., :1]]),
          np.dstack([bgr, bgr[..., :1]]))
    _pair(tmp_path / 'deep', bgr.astype(np.uint16) * 257 + 100,
          bgr.astype(np.uint16) * 257 + 100)
    expected = {
        'gray': np.repeat(gray[..., None], 3, axis=2),
        'rgba': bgr[..., ::-1],
        'deep': ((bgr.astype(np.uint16) * 257 + 100) // 256).astype(
            np.uint8)[..., ::-1],
    }
    for name, image in expected.items():
        sample = _dataset(tmp_path / name, TEST_PIPELINE)[0]
        got = sample['inputs']
        assert got.dtype == torch.uint8 and got.shape == (3, 20, 24), name
        np.testing.assert_array_equal(got.permute(1, 2, 0).numpy(), image,
                                      err_msg=name)


def test_corrupt_image_names_the_file(tmp_path):
    _pair(tmp_path, _clean(), _clean())
    (tmp_path / 'rain-1.png').write_bytes(b'not an image')
    # A file without an image extension is not part of the dataset.
    (tmp_path / 'notes.txt').write_text('shot in the rain')
    with pytest.raises(ValueError) as error:
        _dataset(tmp_path)
    assert (f'rainy "{tmp_path / "rain-1.png"}" / clean '
            f'"{tmp_path / "norain-1.png"}": "{tmp_path / "rain-1.png"}" is '
            'not a usable image') in str(error.value)
    assert '1 problem(s) in the 1 pairs' in str(error.value)


def test_truncated_image_names_both_files(tmp_path):
    _pair(tmp_path, _clean(), _clean())
    data = (tmp_path / 'norain-1.png').read_bytes()
    (tmp_path / 'norain-1.png').write_bytes(data[:len(data) // 2])
    with pytest.raises(ValueError, match='rain-1.png" / clean ".*norain-1'
                       r'.png": ".*norain-1.png" is not a usable image: '
                       'truncated PNG'):
        _dataset(tmp_path)


@pytest.mark.parametrize('damage', ['truncate', 'not an image'])
def test_without_the_check_a_bad_file_is_named_when_loaded(tmp_path, damage):
    _pair(tmp_path, _clean(), _clean())
    clean = tmp_path / 'norain-1.png'
    data = clean.read_bytes()
    clean.write_bytes(data[:len(data) // 2] if damage ==
                      'truncate' else b'not an image')
    dataset = _dataset(tmp_path, check_pairs=False)
    assert len(dataset) == 1
    with pytest.raises(ValueError, match=f'"{clean}" is not a usable image'):
        dataset[0]


def test_rainy_and_clean_of_different_sizes_name_both(tmp_path):
    _pair(tmp_path, _clean(), _clean(18, 24))
    with pytest.raises(ValueError, match='rain-1.png" is 24x20 but its clean '
                       'image ".*norain-1.png" is 24x18'):
        _dataset(tmp_path, TEST_PIPELINE)
    # Without the check, a pipeline step that fails on it names both too.
    dataset = _dataset(tmp_path, check_pairs=False)
    with pytest.raises(ValueError, match='is 24x20 but its clean image'):
        dataset[0]


def test_every_bad_pair_is_listed_up_to_a_limit(tmp_path):
    limit = DATASETS.get('Rain100Dataset').MAX_LISTED_PROBLEMS
    for index in range(1, limit + 4):
        _pair(tmp_path, _clean(), _clean(18, 24), index)
    _pair(tmp_path, _clean(), _clean(), limit + 4)
    with pytest.raises(ValueError) as error:
        _dataset(tmp_path)
    message = str(error.value)
    assert f'{limit + 3} problem(s) in the {limit + 4} pairs' in message
    assert message.count('but its clean image') == limit
    assert message.endswith('... and 3 more')


def test_image_smaller_than_the_patch_names_the_file(tmp_path):
    _pair(tmp_path, _clean(10, 10), _clean(10, 10))
    with pytest.raises(ValueError, match='smaller than patch size.*rain-1'):
        _dataset(tmp_path)[0]


@pytest.mark.parametrize('folder', ['missing', 'empty'])
def test_missing_or_empty_folder(tmp_path, folder):
    (tmp_path / 'empty').mkdir()
    message = 'does not exist' if folder == 'missing' else 'holds no image'
    with pytest.raises((FileNotFoundError, ValueError), match=message):
        _dataset(tmp_path / folder)


def test_odd_sizes_at_test_time_keep_their_size(tmp_path):
    _pair(tmp_path, _clean(23, 17), _clean(23, 17))
    sample = _dataset(tmp_path, TEST_PIPELINE)[0]
    model = MODELS.build(
        dict(
            type='BaseEditModel',
            generator=dict(
                type='PReNet', num_stages=2, mid_channels=4, num_blocks=1),
            pixel_loss=dict(type='L1Loss'),
            data_preprocessor=dict(
                type='DataPreprocessor', mean=[0.] * 3, std=[255.] * 3)))
    with torch.no_grad():
        out = model.test_step(
            dict(inputs=[sample['inputs']],
                 data_samples=[sample['data_samples']]))
    assert out[0].output.pred_img.shape[-2:] == (23, 17)


def _write(path, height=20, width=24):
    path.parent.mkdir(parents=True, exist_ok=True)
    assert cv2.imwrite(str(path), _clean(height, width))
    return str(path)


def _separate_files(kind, root):
    """A good pair and a pair of different sizes in the layout of ``kind``;
    returns the dataset config and the bad pair's files."""
    if kind == 'Rain100Dataset':
        _write(root / 'rainy' / 'rain-001.png')
        _write(root / 'norain-001.png')
        bad = (_write(root / 'rainy' / 'rain-002.png'),
               _write(root / 'norain-002.png', 18))
    elif kind == 'Rain14000Dataset':
        _write(root / 'rainy_image' / '1_1.jpg')
        _write(root / 'ground_truth' / '1.jpg')
        bad = (_write(root / 'rainy_image' / '2_1.jpg'),
               _write(root / 'ground_truth' / '2.jpg', 18))
    elif kind == 'InputTargetDataset':
        _write(root / 'input' / '1.png')
        _write(root / 'target' / '1.png')
        bad = (_write(root / 'input' / '2.png'),
               _write(root / 'target' / '2.png', 20, 22))
    else:
        _write(root / 'rain' / '000.png')
        _write(root / 'gt' / '000gt.png')
        bad = (_write(root / 'rain' / '001.png'),
               _write(root / 'gt' / '001gt.png', 18))
        (root / 'real_test_1000.txt').write_text(
            'rain/000.png gt/000gt.png\nrain/001.png gt/001gt.png\n')
    return dict(type=kind, data_root=str(root)), bad


@pytest.mark.parametrize('kind', [
    'Rain100Dataset', 'Rain14000Dataset', 'InputTargetDataset', 'SPADataset'
])
def test_every_paired_class_refuses_a_size_mismatch(tmp_path, kind):
    cfg, (rainy, clean) = _separate_files(kind, tmp_path)
    with pytest.raises(ValueError) as error:
        DATASETS.build(cfg)
    message = str(error.value)
    assert message.startswith(f'{kind}: 1 problem(s) in the 2 pairs')
    assert f'the rainy image "{rainy}" is 24x' in message
    assert f'but its clean image "{clean}" is ' in message
    assert len(DATASETS.build(dict(cfg, check_pairs=False))) == 2


@pytest.mark.parametrize('kind, extra', [
    ('Rain800Dataset', {}),
    ('Rain1200Dataset', {}),
    ('SideBySideRainDataset', dict(rainy_half='left')),
])
def test_side_by_side_classes_refuse_an_odd_width(tmp_path, kind, extra):
    _write(tmp_path / '1.png', 20, 48)
    odd = _write(tmp_path / '2.png', 20, 49)
    cfg = dict(type=kind, data_root=str(tmp_path), **extra)
    with pytest.raises(ValueError) as error:
        DATASETS.build(cfg)
    assert (f'side-by-side pair "{odd}": "{odd}" is 49 pixels wide'
            in str(error.value))
    assert len(DATASETS.build(dict(cfg, check_pairs=False))) == 2


def test_a_truncated_side_by_side_file_is_refused(tmp_path):
    path = _write(tmp_path / '1.jpg', 20, 48)
    data = open(path, 'rb').read()
    open(path, 'wb').write(data[:-2])
    with pytest.raises(ValueError, match='truncated JPEG'):
        DATASETS.build(dict(type='Rain800Dataset', data_root=str(tmp_path)))


def test_patch_grid_uses_the_checked_sizes(tmp_path):
    _pair(tmp_path, _clean(20, 24), _clean(20, 24))
    grid = dict(size=8, stride=8)
    checked = _dataset(tmp_path, patch_grid=grid)
    unchecked = _dataset(tmp_path, patch_grid=grid, check_pairs=False)
    assert len(checked) == len(unchecked) == 2 * 3
    assert [checked.get_data_info(i)['grid_patch'] for i in range(6)
            ] == [unchecked.get_data_info(i)['grid_patch'] for i in range(6)]
