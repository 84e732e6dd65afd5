import numpy as np
import pytest

from mmderain.datasets.transforms import SplitSideBySide


def pair(width=8):
    image = np.zeros((4, width, 3), np.uint8)
    image[:, :width // 2], image[:, width // 2:] = 10, 200
    return dict(img=image, img_path='pair.jpg', img_channel_order='rgb')


def test_split_by_results_and_by_argument():
    out = SplitSideBySide()(dict(pair(), rainy_half='right'))
    assert (out['img'] == 200).all() and (out['gt'] == 10).all()
    assert out['gt_channel_order'] == 'rgb'
    assert out['ori_gt_shape'] == (4, 4, 3)
    out = SplitSideBySide(rainy_half='left')(pair())
    assert (out['img'] == 10).all() and (out['gt'] == 200).all()


def test_errors():
    with pytest.raises(KeyError, match='pair.jpg'):
        SplitSideBySide()(pair())
    with pytest.raises(ValueError, match='contradicts'):
        SplitSideBySide(rainy_half='left')(dict(pair(), rainy_half='right'))
    with pytest.raises(ValueError, match='pair.jpg is 7 pixels wide'):
        SplitSideBySide(rainy_half='left')(pair(width=7))
    with pytest.raises(ValueError, match='rainy_half'):
        SplitSideBySide(rainy_half='middle')
