import os
import os.path as osp

import cv2
import mmcv
import numpy as np
import pytest
from skimage import data as skimage_data
from tool_runs import run_tool

pytestmark = pytest.mark.e2e

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_niqe_stats_tool_prints_summary_and_writes_files(tmp_path):
    img = cv2.resize(skimage_data.astronaut(), (200, 200))[..., ::-1]
    mmcv.imwrite(img, str(tmp_path / 'a' / 'x.png'))
    mmcv.imwrite(255 - img, str(tmp_path / 'b' / 'y.png'))
    mmcv.imwrite(np.zeros((50, 50, 3), np.uint8),
                 str(tmp_path / 'b' / 'z.png'))
    # z.png is too small for NIQE: reported, and the exit status says so.
    result = run_tool(
        osp.join(ROOT, 'tools', 'analysis_tools', 'niqe_stats.py'),
        f'first={tmp_path / "a"}', tmp_path / 'b' / '*.png', '--out',
        tmp_path / 'out', returncode=1, timeout=300)
    assert 'z.png' in result.stderr
    assert '| first | 1 |' in result.stdout and '| b | 1 |' in result.stdout
    assert sorted(os.listdir(tmp_path / 'out')) == [
        'niqe_distributions.png', 'niqe_per_image.csv', 'niqe_summary.md'
    ]
