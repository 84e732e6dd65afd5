import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from mmagic.registry import DATASETS
from mmderain.datasets import RenderedRainDataset

PACK = [dict(type='PackInputs')]


def build(**kwargs):
    kwargs.setdefault('pipeline', PACK)
    return DATASETS.build(dict(type='RenderedRainDataset', **kwargs))


def arrays(item):
    return item['inputs'].numpy(), item['data_samples'].gt_img.numpy()


def test_item_looks_like_loaded_images():
    dataset = build(
        preset='rain100h',
        split='test',
        num_samples=3,
        img_size=(24, 32),
        test_mode=True)
    assert len(dataset) == 3
    item = dataset[2]
    rainy, clean = arrays(item)
    assert rainy.shape == clean.shape == (3, 24, 32)
    assert rainy.dtype == clean.dtype == np.uint8
    assert not np.array_equal(rainy, clean)
    meta = item['data_samples'].metainfo
    assert meta['img_channel_order'] == meta['gt_channel_order'] == 'rgb'
    assert meta['ori_img_shape'] == (24, 32, 3)
    assert meta['img_path'] == 'rain100h/test/rainy/rain-003.png'
    assert meta['gt_path'] == 'rain100h/test/norain-003.png'
    info = dataset.get_data_info(2)
    assert info['key'] == 'rain-003' and info['clean_name'] == 'coffee'


def test_test_mode_is_deterministic_per_index():
    kwargs = dict(
        preset='rain800',
        split='test',
        num_samples=4,
        img_size=32,
        seed=3,
        test_mode=True)
    first, second = build(**kwargs), build(**kwargs)
    for index in range(4):
        for a, b in zip(arrays(first[index]), arrays(second[index])):
            np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(
            arrays(first[index])[0],
            first.render_pair(index)[0].transpose(2, 0, 1))
    assert not np.array_equal(arrays(first[0])[0], arrays(first[2])[0])
    other_seed = build(**dict(kwargs, seed=4))
    assert not np.array_equal(arrays(first[0])[0], arrays(other_seed[0])[0])


def test_training_draws_new_rain_every_fetch():
    dataset = build(preset='rain100l', num_samples=2, img_size=32)
    first, second = arrays(dataset[0]), arrays(dataset[0])
    assert not np.array_equal(first[0], second[0])


def fixed_seed_init(worker_id):
    # What mmengine's worker_init_fn does every time workers start: the
    # same numpy/torch seeds in every epoch.
    np.random.seed(worker_id)
    torch.manual_seed(worker_id)


def test_training_differs_between_workers_and_epochs():
    dataset = build(preset='rain100l', num_samples=4, img_size=16)
    loader = DataLoader(
        dataset,
        batch_size=1,
        sampler=[0, 0, 0, 0],
        num_workers=2,
        worker_init_fn=fixed_seed_init,
        collate_fn=lambda batch: batch[0]['inputs'].numpy())
    epochs = [list(loader), list(loader)]
    images = [image.tobytes() for epoch in epochs for image in epoch]
    assert len(set(images)) == len(images)


def test_rain14000_test_set_covers_every_type():
    dataset = build(
        preset='rain14000',
        split='test',
        test_mode=True,
        img_size=16,
        pipeline=[])
    assert len(dataset) == 2 * 14
    items = [dataset[i] for i in range(28)]
    assert [item['rain_type'] for item in items] == [i // 2 for i in range(28)]
    assert [item['clean_index'] for item in items] == [0, 1] * 14
    # Same photo and crop seed family, different type: different rain.
    assert not np.array_equal(items[0]['img'], items[2]['img'])


def test_clean_images_from_a_folder(tmp_path, write_image):
    write_image(tmp_path / 'b.png', 80, size=(60, 80))
    write_image(tmp_path / 'a.jpg', 120, size=(150, 90))
    (tmp_path / 'notes.txt').write_text('not an image')
    dataset = build(
        clean_source=str(tmp_path),
        num_samples=4,
        img_size=100,
        test_mode=True)
    assert [dataset.get_data_info(i)['clean_name']
            for i in range(2)] == ['a', 'b']
    for index in range(4):
        rainy, clean = arrays(dataset[index])
        assert rainy.shape == (3, 100, 100)
    assert abs(float(arrays(dataset[1])[1].mean()) - 80) < 1
    whole = build(clean_source=str(tmp_path), img_size=None, test_mode=True)
    assert len(whole) == 2
    assert arrays(whole[0])[0].shape == (3, 150, 90)


def test_errors_are_clear(tmp_path):
    with pytest.raises(FileNotFoundError, match='missing_photos'):
        build(clean_source=str(tmp_path / 'missing_photos'))
    (tmp_path / 'empty').mkdir()
    with pytest.raises(ValueError, match='empty.*holds no image'):
        build(clean_source=str(tmp_path / 'empty'))
    with pytest.raises(ValueError, match='Unknown rain preset.*heldout'):
        build(preset='hail')
    with pytest.raises(ValueError, match='split'):
        build(split='val')
    with pytest.raises(ValueError, match='num_samples'):
        build(num_samples=0)
    with pytest.raises(ValueError, match='img_size'):
        RenderedRainDataset(img_size=(0, 4))
    for prob in (-0.1, 1.5):
        with pytest.raises(ValueError, match='rain_free_prob.*got'):
            build(rain_free_prob=prob)


def test_rain_free_samples_show_the_clean_crop():
    kwargs = dict(preset='rain100h', num_samples=40, img_size=48, seed=5)
    every = build(rain_free_prob=1.0, **kwargs)
    for index in range(4):
        rainy, clean = arrays(every[index])
        np.testing.assert_array_equal(rainy, clean)
    some = build(rain_free_prob=0.5, test_mode=True, **kwargs)
    free = [np.array_equal(*arrays(some[i])) for i in range(len(some))]
    # Heavy rain leaves no 48x48 crop untouched by itself (the last assert).
    assert 8 <= sum(free) <= 32
    again = build(rain_free_prob=0.5, test_mode=True, **kwargs)
    assert free == [
        np.array_equal(*arrays(again[i])) for i in range(len(again))
    ]
    assert not any(
        np.array_equal(*arrays(item))
        for item in build(test_mode=True, **kwargs))


def test_clean_images_of_a_paired_dataset(tmp_path, write_image):
    """The rendered twin of a paired set: rain over its clean images only."""
    for index, value in ((3, 30), (12, 120), (40, 200)):
        write_image(tmp_path / f'rain-{index}.png', 255, size=(40, 50))
        write_image(tmp_path / f'norain-{index}.png', value, size=(40, 50))
    dataset = build(
        clean_source=dict(
            type='Rain100Dataset', data_root=str(tmp_path), id_range=(1, 12)),
        img_size=32,
        random_scale=False,
        test_mode=True)
    assert len(dataset) == 2
    assert [dataset.get_data_info(i)['clean_name']
            for i in range(2)] == ['norain-3', 'norain-12']
    for index, value in enumerate((30, 120)):
        rainy, clean = dataset.render_pair(index)[:2]
        # A native-resolution crop of a flat image keeps its value exactly.
        assert clean.shape == (32, 32, 3) and (clean == value).all()
        assert (rainy >= clean).all() and (rainy > clean).any()


def test_native_crops_keep_the_scale_and_reject_small_images(
        tmp_path, write_image):
    image = np.zeros((48, 64, 3), np.uint8)
    image[:, ::2] = 255  # stripes survive only a crop without resizing
    import cv2
    cv2.imwrite(str(tmp_path / 'stripes.png'), image)
    native = build(
        clean_source=str(tmp_path),
        img_size=16,
        random_scale=False,
        num_samples=6,
        test_mode=True)
    for index in range(6):
        clean = native.render_pair(index)[1]
        columns = clean[..., 0].mean(axis=0)
        assert set(np.unique(columns)) == {0, 255}
    with pytest.raises(ValueError, match='smaller than img_size 64x64'):
        build(
            clean_source=str(tmp_path),
            img_size=64,
            random_scale=False,
            test_mode=True).render_pair(0)


def test_side_by_side_pairs_cannot_serve_as_clean_images(
        tmp_path, write_image):
    write_image(tmp_path / '1.jpg', 100, size=(20, 40))
    with pytest.raises(ValueError, match='no separate clean image'):
        build(
            clean_source=dict(
                type='Rain800Dataset',
                data_root=str(tmp_path),
                pipeline=[dict(type='SplitSideBySide')]))


def test_the_former_type_name_fails_naming_the_new_one():
    # Users write the type in their configs: the old one must say what to
    # write instead, not "not in the registry".
    with pytest.raises(TypeError,
                       match="renamed to 'RenderedRainDataset'"):
        DATASETS.build(dict(type='SyntheticRainDataset', preset='rain100l'))
