import mmcv
import numpy as np
import pytest

from mmderain.analysis import (auto_box, compare_grid, parse_box,
                               parse_method, render_grid)
from mmderain.analysis.compare_grid import (BOX_COLOR, center_crop,
                                            match_by_name)


def test_parse_box_and_method(tmp_path):
    assert parse_box('1,2,3,4') == (1, 2, 3, 4)
    for bad in ('1,2,3', '1,2,0,4', 'a,b,c,d', '-1,0,2,2'):
        with pytest.raises(ValueError, match='--box'):
            parse_box(bad)
    assert parse_method(f'A={tmp_path}') == ('A', str(tmp_path))
    with pytest.raises(ValueError, match='LABEL='):
        parse_method(str(tmp_path))
    with pytest.raises(ValueError, match='does not exist'):
        parse_method(f'B={tmp_path}/cfg.py,{tmp_path}/x.pth')


def test_auto_box_finds_the_most_changed_square():
    rainy = np.zeros((40, 60, 3), np.uint8)
    derained = rainy.copy()
    derained[20:30, 35:45] = 200
    assert auto_box(rainy, derained, fraction=0.25) == (35, 20, 10, 10)


def test_render_grid_draws_columns_boxes_zooms_and_psnr():
    rng = np.random.default_rng(0)
    gt = rng.integers(0, 256, (30, 40, 3), np.uint8)
    row = {'in': gt // 2, 'method': gt, 'gt': gt}
    plain = render_grid([row], [(4, 6, 10, 8)], panel_width=80, gap=4)
    captioned = render_grid([row], [(4, 6, 10, 8)],
                            gt_label='gt',
                            panel_width=80,
                            gap=4)
    assert plain.dtype == np.uint8 and plain.shape[1] == 3 * 80 + 2 * 4
    # A caption strip is added under the zooms when there is a ground truth.
    assert captioned.shape[0] > plain.shape[0]
    # The box is drawn in every full panel (BOX_COLOR pixels), and the zoom
    # of a 10x8 box at width 80 is 64 rows of nearest-neighbour blocks.
    red = np.all(plain == BOX_COLOR, axis=2)
    for column in range(3):
        assert red[:, column * 84:column * 84 + 80].any()
    with pytest.raises(ValueError, match='does not fit'):
        render_grid([row], [(35, 0, 10, 10)])
    with pytest.raises(ValueError, match='columns'):
        render_grid([row, {'in': gt}], [(0, 0, 2, 2)] * 2)


def test_compare_grid_reads_folders_and_gt_templates(tmp_path):
    rng = np.random.default_rng(1)
    for name in ('rain-1.png', 'rain-2.png'):
        img = rng.integers(0, 256, (16, 20, 3), np.uint8)
        mmcv.imwrite(img, str(tmp_path / 'in' / name))
        mmcv.imwrite(img // 2, str(tmp_path / 'out' / name))
        mmcv.imwrite(img // 3, str(tmp_path / 'gt' / f'no{name}'))
    inputs = [
        str(tmp_path / 'in' / 'rain-1.png'),
        str(tmp_path / 'in' / 'rain-2.png')
    ]
    figure = compare_grid(inputs, [('half', str(tmp_path / 'out'))],
                          gt_dir=str(tmp_path / 'gt' / 'no{name}'),
                          panel_width=40)
    assert figure.shape[1] == 3 * 40 + 2 * 6
    with pytest.raises(FileNotFoundError, match='rain-1.png'):
        match_by_name(inputs, str(tmp_path / 'gt'), 'gt')
    # Inputs from two dataset folders, each with its ground truths beside.
    mixed = []
    for folder, name in (('a', 'rain-3.png'), ('b', 'rain-4.png')):
        mmcv.imwrite(img, str(tmp_path / folder / name))
        mmcv.imwrite(img, str(tmp_path / folder / f'no{name}'))
        mixed.append(str(tmp_path / folder / name))
    assert match_by_name(mixed, '{dir}/no{name}', 'gt') == [
        str(tmp_path / 'a' / 'norain-3.png'),
        str(tmp_path / 'b' / 'norain-4.png')
    ]
    with pytest.raises(ValueError, match='labels must differ'):
        compare_grid(inputs, [('Rainy input', str(tmp_path / 'out'))])


def test_center_crop_cuts_every_column_alike(tmp_path):
    rng = np.random.default_rng(2)
    img = rng.integers(0, 256, (16, 20, 3), np.uint8)
    # The central 10x10 square of a 20x16 image starts at (5, 3).
    square = img[3:13, 5:15]
    for folder, image in (('full', img), ('cut', square)):
        mmcv.imwrite(image, str(tmp_path / folder / 'in' / 'rain-1.png'))
        mmcv.imwrite(image // 2, str(tmp_path / folder / 'out' / 'rain-1.png'))
        mmcv.imwrite(image // 3, str(tmp_path / folder / 'gt' / 'rain-1.png'))

    def figure(folder, **kwargs):
        root = tmp_path / folder
        return compare_grid([str(root / 'in' / 'rain-1.png')],
                            [('half', str(root / 'out'))],
                            gt_dir=str(root / 'gt'),
                            panel_width=40,
                            **kwargs)

    np.testing.assert_array_equal(figure('full', crop=10), figure('cut'))
    # A side shorter than the crop stays whole (16 rows of 20x16).
    assert center_crop(img, 18).shape == (16, 18, 3)
    np.testing.assert_array_equal(center_crop(img, 18), img[:, 1:19])
    with pytest.raises(ValueError, match='--center-crop'):
        figure('full', crop=0)
