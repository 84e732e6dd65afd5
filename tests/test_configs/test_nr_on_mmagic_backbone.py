"""NR runs on one of mmagic's own networks by config alone (issue: any
backbone), through tools/train.py, and keeps consolidated weights frozen."""
import json
import os.path as osp
import subprocess
import sys

import pytest
import torch

import mmderain  # noqa: F401  (allow-lists checkpoint classes)

pytestmark = pytest.mark.e2e

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEMO = osp.join(ROOT, 'configs', 'nr', 'prenet_nr_demo_rendered_seq.py')
NAFNET = [
    'model.generator._delete_=True', 'model.generator.type=NAFNetLocal',
    'model.generator.img_channels=3', 'model.generator.mid_channels=8',
    'model.generator.middle_blk_num=1', 'model.generator.enc_blk_nums=[1,1]',
    'model.generator.dec_blk_nums=[1,1]'
]


def test_nr_sequence_on_nafnet(tmp_path):
    tiny = [f'train_cfg.tasks.{i}.max_iters=2' for i in range(4)]
    tiny += [
        f'train_cfg.tasks.{i}.dataloader.dataset.num_samples=4'
        for i in range(4)
    ]
    tiny += [f'train_cfg.tasks.{i}.dataloader.dataset.img_size=32'
             for i in range(4)] + ['train_cfg.param_scheduler.milestones=[1]']
    tiny += [f'val_dataloader.{i}.dataset.num_samples=2' for i in range(5)]
    tiny += [f'val_dataloader.{i}.dataset.img_size=32' for i in range(5)]
    work_dir = str(tmp_path)
    proc = subprocess.run([
        sys.executable,
        osp.join(ROOT, 'tools', 'train.py'), DEMO, '--work-dir', work_dir,
        '--cfg-options', *NAFNET, *tiny
    ],
                          cwd=ROOT,
                          capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

    with open(osp.join(work_dir, 'sequence_eval.json')) as f:
        matrix = json.load(f)
    assert len(matrix['rows']) == 4

    first = torch.load(
        osp.join(work_dir, 'task0_rendered_rain100h.pth'), weights_only=True)
    last = torch.load(
        osp.join(work_dir, 'task3_rendered_rain100l.pth'), weights_only=True)
    masks = first['synaptic_consolidation']['masks']
    assert any(name.startswith('generator.intro') for name in masks)
    frozen = changed = 0
    for name, mask in masks.items():
        before, after = first['state_dict'][name], last['state_dict'][name]
        assert torch.equal(before[mask], after[mask]), name
        frozen += int(mask.sum())
        changed += int((before[~mask] != after[~mask]).sum())
    assert frozen > 0 and changed > 0
