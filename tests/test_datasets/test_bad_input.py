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


def _dataset(root, pipeline=TRAIN_PIPELINE):
    return DATASETS.build(
        dict(type='Rain100Dataset', data_root=str(root), pipeline=pipeline))


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
    dataset = _dataset(tmp_path)
    assert len(dataset) == 1
    with pytest.raises(
            ValueError,
            match=f'"{tmp_path / "rain-1.png"}" is not a readable image'):
        dataset[0]


def test_truncated_image_names_the_file(tmp_path):
    _pair(tmp_path, _clean(), _clean())
    data = (tmp_path / 'norain-1.png').read_bytes()
    (tmp_path / 'norain-1.png').write_bytes(data[:len(data) // 2])
    with pytest.raises(ValueError, match='norain-1.png" is not a readable'):
        _dataset(tmp_path)[0]


def test_rainy_and_clean_of_different_sizes_name_both(tmp_path):
    _pair(tmp_path, _clean(), _clean(18, 24))
    with pytest.raises(ValueError, match='is 24x20 but its clean image'):
        _dataset(tmp_path)[0]


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
