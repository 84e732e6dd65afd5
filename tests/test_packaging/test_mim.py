"""OpenMMLab's ``mim`` with a regular install of mmderain: it finds our
model index, configs and tools in the package's ``.mim`` folder.

mim locates a package by its distribution metadata only; in the
development install (editable) that is site-packages, where there is no
mmderain folder, so these tests use the installed wheel of conftest.py.
"""
import json
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest
import torch
import yaml

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
MIM = osp.join(osp.dirname(sys.executable), 'mim')
CONFIG = 'prenet_b4-p64_800i_rendered-rain100h.py'
# A two-iteration run of a tiny PReNet, validated and saved at the end.
TINY = dict(
    model=dict(generator=dict(num_stages=2, mid_channels=8, num_blocks=1)),
    train_dataloader=dict(
        batch_size=2,
        num_workers=0,
        persistent_workers=False,
        dataset=dict(img_size=32)),
    val_dataloader=dict(num_workers=0, dataset=dict(num_samples=2,
                                                    img_size=24)),
    train_cfg=dict(max_iters=2, val_interval=2),
    default_hooks=dict(logger=dict(interval=1), checkpoint=dict(interval=2)))


def _options(cfg, prefix=''):
    """``--cfg-options`` pairs of a nested dict."""
    for key, value in cfg.items():
        if isinstance(value, dict):
            yield from _options(value, f'{prefix}{key}.')
        else:
            yield f'{prefix}{key}={value}'


pytestmark = pytest.mark.e2e


def _mim(*args, env, cwd):
    proc = subprocess.run([MIM, *args],
                          cwd=str(cwd),
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout


def _model_index_configs():
    with open(osp.join(REPO, 'model-index.yml')) as f:
        imports = yaml.safe_load(f)['Import']
    configs = {}
    for path in imports:
        with open(osp.join(REPO, path)) as f:
            configs.update(
                (m['Name'], m['Config']) for m in yaml.safe_load(f)['Models'])
    return configs


def test_mim_search_lists_our_model_index(installed_wheel, wheel_env,
                                          tmp_path):
    out = tmp_path / 'models.json'
    _mim('search', 'mmderain', '--json', str(out), env=wheel_env,
         cwd=tmp_path)
    # One column per field, each mapping model names to values.
    listed = json.loads(out.read_text())['config']
    expected = _model_index_configs()
    assert len(expected) > 20
    assert listed == expected


def test_mim_train_test_and_run_derain(installed_wheel, wheel_env, tmp_path):
    work_dir = tmp_path / 'work'
    # The config by its name only: mim finds it in .mim/configs.
    out = _mim('train', 'mmderain', CONFIG, '--work-dir', str(work_dir),
               '--cfg-options', *_options(TINY),
               env=wheel_env, cwd=tmp_path)
    mim_dir = osp.join(installed_wheel, 'mmderain', '.mim')
    assert osp.join(mim_dir, 'configs', 'prenet', CONFIG) in out
    assert osp.join(mim_dir, 'tools', 'train.py') in out
    ckpt = work_dir / 'iter_2.pth'
    assert ckpt.is_file()
    assert torch.load(ckpt, weights_only=True)['meta']['iter'] == 2

    config = work_dir / CONFIG  # as the run saved it, with the tiny options
    metrics = tmp_path / 'metrics.json'
    out = _mim('test', 'mmderain', str(config), '--checkpoint', str(ckpt),
               '--work-dir', str(tmp_path / 'test'), '--out', str(metrics),
               env=wheel_env, cwd=tmp_path)
    assert osp.join(mim_dir, 'tools', 'test.py') in out
    assert set(json.loads(metrics.read_text())) == {
        'Y/PSNR', 'Y/SSIM', 'RGB/PSNR', 'RGB/SSIM'
    }

    rainy = tmp_path / 'rainy.png'
    image = np.random.default_rng(0).integers(0, 256, (20, 26, 3), np.uint8)
    assert cv2.imwrite(str(rainy), image)
    out = _mim('run', 'mmderain', 'derain', str(config), str(ckpt),
               str(rainy), '--out', str(tmp_path / 'derained'),
               '--device', 'cpu',
               env=wheel_env, cwd=tmp_path)
    assert osp.join(mim_dir, 'tools', 'derain.py') in out
    derained = cv2.imread(str(tmp_path / 'derained' / 'rainy.png'))
    assert derained is not None and derained.shape == image.shape
