import os.path as osp

import mmcv
import numpy as np
import pytest
from tool_runs import run_tool, write_tiny_prenet

pytestmark = pytest.mark.e2e

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(ROOT, 'tools', 'analysis_tools', 'error_split.py')


def test_error_split_tool_prints_a_row_per_image_and_the_mean(tmp_path):
    rng = np.random.default_rng(0)
    for i in (1, 2):
        gt = rng.integers(60, 180, (24, 24, 3)).astype(np.uint8)
        rainy = gt.copy()
        rainy[:, 10] += 60
        mmcv.imwrite(rainy, str(tmp_path / 'pairs' / f'rain-{i}.png'))
        mmcv.imwrite(gt, str(tmp_path / 'pairs' / f'norain-{i}.png'))
    config, ckpt, _ = write_tiny_prenet(tmp_path)
    proc = run_tool(TOOL, config, ckpt,
                    str(tmp_path / 'pairs' / 'rain-*.png'), '--gt',
                    '{dir}/no{name}', '--device', 'cpu', '--by-change',
                    timeout=300)
    rows = [line for line in proc.stdout.splitlines() if line.startswith('|')]
    assert [r.split('|')[1].strip() for r in rows[2:5]] == [
        'rain-1.png', 'rain-2.png', 'mean'
    ]
    # One streak column of 24: 4.2% of the pixels changed by the rain.
    assert all(r.split('|')[2].strip() == '4.2%' for r in rows[2:5])
    # Then the bins by the output's change: 6 per part, shares adding to 1.
    bins = rows[5:]
    assert bins[0].startswith('| pixels |') and len(bins) == 2 + 12
    assert [r.split('|')[1].strip() for r in bins[2:]] == ['changed'] * 6 + [
        'rest'
    ] * 6
    shares = [float(r.split('|')[3].strip(' %')) for r in bins[2:]]
    assert sum(shares) == pytest.approx(100, abs=0.1)
