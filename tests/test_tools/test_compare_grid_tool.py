import os.path as osp

import mmcv
import numpy as np
import pytest
from tool_runs import run_tool

pytestmark = pytest.mark.e2e

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


TOOL = osp.join(ROOT, 'tools', 'analysis_tools', 'compare_grid.py')


def write_methods(tmp_path):
    rng = np.random.default_rng(0)
    for name in ('a.png', 'b.png'):
        img = rng.integers(0, 256, (24, 32, 3), np.uint8)
        mmcv.imwrite(img, str(tmp_path / 'rainy' / name))
        mmcv.imwrite(img // 2, str(tmp_path / 'm1' / name))
        mmcv.imwrite(img // 3, str(tmp_path / 'm2' / name))
        mmcv.imwrite(img // 4, str(tmp_path / 'gt' / name))
    return (tmp_path / 'rainy', '--method', f'one={tmp_path / "m1"}',
            '--method', f'two={tmp_path / "m2"}', '--gt', tmp_path / 'gt',
            '--box', '2,3,8,8', '--panel-width', '64')


def test_compare_grid_tool_writes_a_png(tmp_path):
    out = tmp_path / 'grid.png'
    run_tool(TOOL, *write_methods(tmp_path), '--out', out, timeout=300)
    grid = mmcv.imread(str(out))
    # Four columns (input, two methods, ground truth) of 64 pixels.
    assert grid.shape[1] == 4 * 64 + 3 * 6
    # Two rows of full panels (24x32 -> 48 high) and zooms (8x8 -> 64 high).
    assert grid.shape[0] > 2 * (48 + 64)


def test_compare_grid_tool_writes_a_jpeg_of_the_asked_quality(tmp_path):
    args = write_methods(tmp_path)
    sizes = {}
    for quality in (30, 95):
        out = tmp_path / f'grid-{quality}.jpg'
        run_tool(TOOL, *args, '--out', out, '--jpeg-quality', quality,
                 timeout=300)
        with open(out, 'rb') as file:
            assert file.read(3) == b'\xff\xd8\xff'
        sizes[quality] = out.stat().st_size
    assert sizes[30] < sizes[95]
    png = tmp_path / 'grid.png'
    run_tool(TOOL, *args, '--out', png, timeout=300)
    assert mmcv.imread(str(tmp_path / 'grid-95.jpg')).shape == mmcv.imread(
        str(png)).shape


def test_compare_grid_tool_refuses_a_bad_jpeg_quality(tmp_path):
    out = tmp_path / 'grid.jpg'
    proc = run_tool(TOOL, *write_methods(tmp_path), '--out', out,
                    '--jpeg-quality', 0, returncode=1, timeout=300)
    assert '--jpeg-quality must be in 1-100, got 0' in proc.stderr
    assert not out.exists()
