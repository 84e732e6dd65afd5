import os.path as osp

import pytest
from mmengine.config import Config

import mmderain  # noqa: F401
from mmderain.apis import build_test_cfg, build_train_cfg, enable_amp

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEMO = osp.join(ROOT, 'configs', 'prenet',
                'prenet_b4-p64_800i_syn-rain100h.py')


@pytest.mark.parametrize('wrapper,expected', [
    ('OptimWrapper', 'AmpOptimWrapper'),
    ('AmpOptimWrapper', 'AmpOptimWrapper'),
    ('MaskedOptimWrapper', 'MaskedAmpOptimWrapper'),
])
def test_enable_amp_picks_counterpart(wrapper, expected):
    cfg = Config(dict(optim_wrapper=dict(type=wrapper, optimizer={})))
    enable_amp(cfg)
    assert cfg.optim_wrapper.type == expected


def test_enable_amp_rejects_unknown_wrapper():
    cfg = Config(dict(optim_wrapper=dict(type='NoSuchWrapper')))
    with pytest.raises(ValueError, match='NoSuchWrapper'):
        enable_amp(cfg)


def test_build_train_cfg_options(tmp_path):
    cfg = build_train_cfg(
        DEMO,
        work_dir=str(tmp_path),
        resume=True,
        cfg_options={'train_cfg.max_iters': 7})
    assert cfg.work_dir == str(tmp_path)
    assert cfg.resume is True and cfg.load_from is None
    assert cfg.train_cfg.max_iters == 7
    assert cfg.launcher == 'none'
    default = build_train_cfg(DEMO)
    assert default.work_dir == './work_dirs/prenet_b4-p64_800i_syn-rain100h'


def test_missing_files_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.py'):
        build_train_cfg(str(tmp_path / 'nope.py'))
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        build_train_cfg(DEMO, resume=str(tmp_path / 'missing.pth'))
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        build_test_cfg(DEMO, str(tmp_path / 'missing.pth'))


def test_build_test_cfg_adds_metrics_dump(tmp_path):
    ckpt = tmp_path / 'model.pth'
    ckpt.write_bytes(b'')
    cfg = build_test_cfg(DEMO, str(ckpt), out=str(tmp_path / 'm.json'))
    assert cfg.load_from == str(ckpt) and cfg.resume is False
    assert cfg.custom_hooks[-1] == dict(
        type='DumpMetricsHook', out_file=str(tmp_path / 'm.json'))
