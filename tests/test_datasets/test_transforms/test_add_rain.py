import numpy as np
import pytest
from mmcv.transforms import Compose

from mmagic.registry import TRANSFORMS
from mmderain.datasets.transforms import AddRain


def results(key='a', value=60):
    gt = np.full((40, 48, 3), value, np.uint8)
    return dict(gt=gt, key=key, gt_channel_order='rgb', gt_color_type='color')


def test_writes_rainy_image_from_clean_image():
    transform = TRANSFORMS.build(dict(type='AddRain', preset='rain100h'))
    out = transform(results())
    assert out['img'].shape == (40, 48, 3) and out['img'].dtype == np.uint8
    assert (out['gt'] == 60).all()
    assert not np.array_equal(out['img'], out['gt'])
    assert out['img_channel_order'] == 'rgb'
    assert out['ori_img_shape'] == (40, 48, 3)


def test_random_per_call_unless_seeded():
    random_rain = AddRain('rain100l')
    first, second = random_rain(results())['img'], random_rain(
        results())['img']
    assert not np.array_equal(first, second)
    seeded = AddRain('rain100l', seed=5)
    np.testing.assert_array_equal(
        seeded(results('a'))['img'],
        seeded(results('a'))['img'])
    assert not np.array_equal(
        seeded(results('a'))['img'],
        seeded(results('b'))['img'])


def test_types_and_keys():
    out = AddRain('rain14000', seed=0, rain_type=5)(results())
    assert out['rain_type'] == 5
    out = AddRain('rain14000')(results())
    assert 0 <= out['rain_type'] < 14
    custom = AddRain(dict(density=0.02), key='clean', output_key='rainy')
    out = custom(dict(clean=np.zeros((8, 8, 3), np.uint8)))
    assert out['rainy'].shape == (8, 8, 3)
    with pytest.raises(KeyError, match='no clean image under key "gt"'):
        AddRain()(dict(img=np.zeros((8, 8, 3), np.uint8)))
    with pytest.raises(ValueError, match='Unknown rain preset'):
        AddRain('snow')


def test_in_a_pipeline(tmp_path, write_image):
    path = write_image(tmp_path / 'clean.png', 60, size=(16, 16))
    pipeline = Compose([
        dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
        dict(type='AddRain', preset='rain800', seed=1),
        dict(type='PackInputs'),
    ])
    item = pipeline(dict(gt_path=path, key='clean'))
    assert tuple(item['inputs'].shape) == (3, 16, 16)
    assert (item['data_samples'].gt_img == 60).all()
