import os
import os.path as osp
import subprocess
import sys

import cv2
import mmcv
import numpy as np
from skimage import data as skimage_data

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_niqe_stats_tool_prints_summary_and_writes_files(tmp_path):
    img = cv2.resize(skimage_data.astronaut(), (200, 200))[..., ::-1]
    mmcv.imwrite(img, str(tmp_path / 'a' / 'x.png'))
    mmcv.imwrite(255 - img, str(tmp_path / 'b' / 'y.png'))
    mmcv.imwrite(np.zeros((50, 50, 3), np.uint8),
                 str(tmp_path / 'b' / 'z.png'))
    result = subprocess.run([
        sys.executable,
        osp.join(ROOT, 'tools', 'analysis_tools', 'niqe_stats.py'),
        f'first={tmp_path / "a"}',
        str(tmp_path / 'b' / '*.png'), '--out',
        str(tmp_path / 'out')
    ],
                            cwd=ROOT,
                            env=dict(os.environ, OMP_NUM_THREADS='1'),
                            capture_output=True,
                            text=True,
                            timeout=300)
    # z.png is too small for NIQE: reported, and the exit status says so.
    assert result.returncode == 1, result.stderr
    assert 'z.png' in result.stderr
    assert '| first | 1 |' in result.stdout and '| b | 1 |' in result.stdout
    assert sorted(os.listdir(tmp_path / 'out')) == [
        'niqe_distributions.png', 'niqe_per_image.csv', 'niqe_summary.md'
    ]
