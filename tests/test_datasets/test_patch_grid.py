"""patch_grid + CropGridPatch: PReNet's Im2Patch epochs (csdwren/PReNet)."""
import cv2
import numpy as np
import pytest

from mmagic.registry import DATASETS, TRANSFORMS

GRID_PIPELINE = [
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
    dict(type='CropGridPatch'),
    dict(type='PackInputs'),
]
SIDE_BY_SIDE_GRID_PIPELINE = [
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    dict(type='SplitSideBySide'),
    dict(type='CropGridPatch'),
    dict(type='PackInputs'),
]


def build(type_, root, **kwargs):
    # Serializing costs a full gc.collect per build; not needed here.
    kwargs.setdefault('serialize_data', False)
    return DATASETS.build(dict(type=type_, data_root=str(root), **kwargs))


def write(path, image):
    path.parent.mkdir(parents=True, exist_ok=True)
    assert cv2.imwrite(str(path), image[..., ::-1])  # RGB in, BGR on disk


def im2patch(image, win, stride):
    """PReNet's Im2Patch (DerainDataset.py) on an HxWxC image: all win x win
    patches with corners on the stride grid, rows first."""
    chw = image.transpose(2, 0, 1)
    channels, endw, endh = chw.shape
    rows = len(range(0, endw - win + 1, stride))
    cols = len(range(0, endh - win + 1, stride))
    out = np.zeros([channels, win * win, rows * cols], image.dtype)
    k = 0
    for i in range(win):
        for j in range(win):
            patch = chw[:, i:endw - win + i + 1:stride,
                        j:endh - win + j + 1:stride]
            out[:, k, :] = patch.reshape(channels, rows * cols)
            k += 1
    patches = out.reshape([channels, win, win, rows * cols])
    return [patches[..., n].transpose(1, 2, 0) for n in range(rows * cols)]


def packed(item):
    """Rainy and clean patch of a packed item as HxWxC uint8 arrays."""
    rainy = item['inputs'].numpy().transpose(1, 2, 0)
    clean = item['data_samples'].gt_img.numpy().transpose(1, 2, 0)
    return rainy, clean


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def test_grid_counts_follow_prenet(tmp_path, rng):
    # 481x321 and 321x481 (RainTrainL's sizes): 5 x 3 = 15 patches of
    # 100x100 at stride 80, twice with the flipped copy.
    for i, (h, w) in ((1, (321, 481)), (2, (481, 321))):
        image = np.zeros((h, w, 3), np.uint8)
        write(tmp_path / f'rain-{i}.png', image)
        write(tmp_path / f'norain-{i}.png', image)
    grid = dict(size=100, stride=80)
    dataset = build('Rain100Dataset', tmp_path, patch_grid=grid)
    assert len(dataset) == 30
    flipped = build(
        'Rain100Dataset', tmp_path, patch_grid=dict(grid, hflip_copy=True))
    assert len(flipped) == 60
    keys = [flipped.get_data_info(i)['key'] for i in range(60)]
    assert len(set(keys)) == 60
    assert keys[0] == 'rain-1_y0_x0' and keys[15] == 'rain-1_y0_x0_hflip'
    # stride defaults to size (non-overlapping patches)
    assert len(build('Rain100Dataset', tmp_path,
                     patch_grid=dict(size=100))) == 2 * 4 * 3


def test_patches_equal_im2patch_of_the_pair_and_its_flip(tmp_path, rng):
    # prepare_data_RainTrainL: Im2Patch of the pair, then of the pair
    # flipped by cv2.flip(img, 1), in that order.
    rainy = rng.integers(0, 256, (30, 43, 3), np.uint8)
    clean = rng.integers(0, 256, (30, 43, 3), np.uint8)
    write(tmp_path / 'rain-3.png', rainy)
    write(tmp_path / 'norain-3.png', clean)
    dataset = build(
        'Rain100Dataset',
        tmp_path,
        patch_grid=dict(size=10, stride=8, hflip_copy=True),
        pipeline=GRID_PIPELINE)
    expected = [(r, c) for flip in (False, True) for r, c in zip(
        im2patch(cv2.flip(rainy, 1) if flip else rainy, 10, 8),
        im2patch(cv2.flip(clean, 1) if flip else clean, 10, 8))]
    assert len(dataset) == len(expected) == 2 * 3 * 5
    for index, (want_rainy, want_clean) in enumerate(expected):
        got_rainy, got_clean = packed(dataset[index])
        np.testing.assert_array_equal(got_rainy, want_rainy)
        np.testing.assert_array_equal(got_clean, want_clean)


def test_side_by_side_grid_covers_one_half(tmp_path, rng):
    clean = rng.integers(0, 256, (24, 30, 3), np.uint8)
    rainy = rng.integers(0, 256, (24, 30, 3), np.uint8)
    write(tmp_path / 'rain800' / '1.png', np.concatenate([clean, rainy], 1))
    write(tmp_path / 'rain1200' / '1.png', np.concatenate([rainy, clean],
                                                          1))
    for type_ in ('Rain800', 'Rain1200'):
        dataset = build(
            f'{type_}Dataset',
            tmp_path / type_.lower(),
            patch_grid=dict(size=10, stride=10, hflip_copy=True),
            pipeline=SIDE_BY_SIDE_GRID_PIPELINE)
        # grid over 24x30 (one half), not 24x60: 2 x 3 patches, x2 flips
        assert len(dataset) == 12, type_
        got_rainy, got_clean = packed(dataset[6 + 5])  # flipped, last one
        np.testing.assert_array_equal(got_rainy,
                                      rainy[10:20, 0:10][:, ::-1])
        np.testing.assert_array_equal(got_clean,
                                      clean[10:20, 0:10][:, ::-1])


def test_rain14000_grid_counts_each_pair(tmp_path):
    root = tmp_path / 'Rain14000'
    sizes = {1: (250, 310), 2: (120, 100)}
    for clean_id, (h, w) in sizes.items():
        image = np.zeros((h, w, 3), np.uint8)
        write(root / 'ground_truth' / f'{clean_id}.png', image)
        for rain_type in (1, 2):
            write(root / 'rainy_image' / f'{clean_id}_{rain_type}.png',
                  image)
    dataset = build(
        'Rain14000Dataset', root, patch_grid=dict(size=100, stride=100))
    # (2 x 3 + 1 x 1) patches per clean id, 2 rain types each
    assert len(dataset) == 2 * 6 + 2 * 1
    assert dataset.get_data_info(13)['clean_id'] == 2


def test_pairs_smaller_than_the_patch_name_the_file(tmp_path):
    image = np.zeros((90, 200, 3), np.uint8)
    write(tmp_path / 'rain-1.png', image)
    write(tmp_path / 'norain-1.png', image)
    with pytest.raises(ValueError, match=r'rain-1\.png.*200x90.*100x100'):
        build('Rain100Dataset', tmp_path, patch_grid=dict(size=100))


def test_rainy_and_clean_sizes_must_agree(tmp_path):
    write(tmp_path / 'rain-1.png', np.zeros((20, 30, 3), np.uint8))
    write(tmp_path / 'norain-1.png', np.zeros((20, 31, 3), np.uint8))
    with pytest.raises(ValueError, match='norain-1.png" is 31x20'):
        build('Rain100Dataset', tmp_path, patch_grid=dict(size=10))


def test_odd_side_by_side_width_names_the_file(tmp_path):
    write(tmp_path / '7.png', np.zeros((20, 41, 3), np.uint8))
    with pytest.raises(ValueError, match=r'7\.png" is 41 pixels wide'):
        build(
            'Rain800Dataset',
            tmp_path,
            patch_grid=dict(size=10),
            pipeline=SIDE_BY_SIDE_GRID_PIPELINE)


@pytest.mark.parametrize('grid', [
    dict(stride=80),
    dict(size=100, flip=True),
    dict(size=0),
    dict(size=100, stride=2.5),
    dict(size=100, hflip_copy='yes'),
])
def test_bad_patch_grid(tmp_path, grid):
    with pytest.raises(ValueError, match='patch_grid'):
        build('Rain100Dataset', tmp_path, patch_grid=grid)


def test_crop_grid_patch_needs_the_recorded_patch():
    crop = TRANSFORMS.build(dict(type='CropGridPatch'))
    image = np.zeros((8, 8, 3), np.uint8)
    with pytest.raises(KeyError, match='patch_grid'):
        crop(dict(img=image, gt=image))
    results = dict(
        img=image,
        gt=image,
        img_path='a.png',
        grid_patch=dict(top=4, left=0, size=6, hflip=False))
    with pytest.raises(ValueError, match='outside the 8x8 image "img" of '
                       'a.png'):
        crop(results)


def test_crop_grid_patch_on_gray_images():
    image = np.arange(36, dtype=np.uint8).reshape(6, 6)
    crop = TRANSFORMS.build(dict(type='CropGridPatch', keys='img'))
    out = crop(
        dict(img=image, grid_patch=dict(top=1, left=2, size=3, hflip=True)))
    np.testing.assert_array_equal(out['img'], image[1:4, 2:5][:, ::-1])
    assert out['img'].flags['C_CONTIGUOUS']
