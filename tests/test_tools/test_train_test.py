"""End to end: train, validate, save, resume and test through the tools."""
import json
import os.path as osp
import re

import pytest
import torch
from mmengine.config import Config
from tool_runs import run_tool

import mmderain  # noqa: F401  (allow-lists checkpoint classes)
from mmagic.registry import MODELS

pytestmark = pytest.mark.e2e

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'configs', 'prenet',
                  'prenet_b4-p64_800i_rendered-rain100h.py')
TINY = [
    'model.generator.num_stages=2', 'model.generator.mid_channels=8',
    'model.generator.num_blocks=1', 'train_dataloader.batch_size=2',
    'train_dataloader.num_workers=0',
    'train_dataloader.persistent_workers=False',
    'train_dataloader.dataset.img_size=32', 'val_dataloader.num_workers=0',
    'val_dataloader.dataset.num_samples=3',
    'val_dataloader.dataset.img_size=40', 'train_cfg.val_interval=2',
    'default_hooks.checkpoint.interval=2', 'default_hooks.logger.interval=1'
]


def test_train_validate_save_resume_test(tmp_path):
    work_dir = str(tmp_path / 'work')
    train = osp.join(ROOT, 'tools', 'train.py')
    proc = run_tool(train, CONFIG, '--work-dir', work_dir, '--cfg-options',
                    *TINY, 'train_cfg.max_iters=4')
    out = proc.stdout + proc.stderr
    assert osp.isfile(osp.join(work_dir, 'iter_4.pth'))
    assert re.search(r'Y/PSNR: \d+\.\d+', out), out[-2000:]
    assert re.search(r'RGB/SSIM: \d\.\d+', out)

    proc = run_tool(train, CONFIG, '--work-dir', work_dir, '--resume',
                    '--cfg-options', *TINY, 'train_cfg.max_iters=6')
    out = proc.stdout + proc.stderr
    assert 'resumed' in out.lower() and 'iter: 4' in out, out[-2000:]
    ckpt = torch.load(osp.join(work_dir, 'iter_6.pth'), weights_only=True)
    assert ckpt['meta']['iter'] == 6
    assert 'generator.conv_in.weight' in ckpt['state_dict']

    metrics_file = tmp_path / 'test' / 'metrics.json'
    proc = run_tool(
        osp.join(ROOT, 'tools', 'test.py'), CONFIG,
        osp.join(work_dir, 'iter_6.pth'), '--work-dir',
        str(tmp_path / 'test'), '--out', str(metrics_file), '--cfg-options',
        *TINY)
    out = proc.stdout + proc.stderr
    logged = re.search(r'Y/PSNR: (\d+\.\d+)', out)
    assert logged, out[-2000:]
    metrics = json.loads(metrics_file.read_text())
    assert set(metrics) == {'Y/PSNR', 'Y/SSIM', 'RGB/PSNR', 'RGB/SSIM'}
    assert round(metrics['Y/PSNR'], 4) == float(logged.group(1))


def test_train_tool_reports_missing_config():
    proc = run_tool(
        osp.join(ROOT, 'tools', 'train.py'), 'no/such/config.py',
        returncode=None)
    assert proc.returncode != 0
    assert 'Config file not found: no/such/config.py' in proc.stderr


def test_test_tool_refuses_weights_that_do_not_fit(tmp_path):
    # A four-channel PReNet's weights for the eight-channel TINY config.
    model = Config.fromfile(CONFIG).model
    model.generator.update(num_stages=2, mid_channels=4, num_blocks=1)
    ckpt = tmp_path / 'prenet4.pth'
    torch.save(dict(state_dict=MODELS.build(model).state_dict()), ckpt)
    metrics_file = tmp_path / 'metrics.json'
    proc = run_tool(
        osp.join(ROOT, 'tools', 'test.py'), CONFIG, ckpt, '--work-dir',
        tmp_path / 'test', '--out', metrics_file, '--cfg-options', *TINY,
        returncode=1)
    assert 'Traceback' not in proc.stderr
    assert (f'test.py: Checkpoint "{ckpt}" does not fit the model '
            'BaseEditModel (generator PReNet)') in proc.stderr
    assert 'generator.conv_in.weight [4, 6, 3, 3] vs [8, 6, 3, 3]' in (
        proc.stderr)
    assert not metrics_file.exists()
