"""The continual-learning baselines (EWC, MAS, PIGWM, LwF) and NR's
per-batch and free-rank variants: what their configs set, and a tiny
end-to-end run of every config, in process: the demos on 24x24 images and
2 iterations per task, the paper settings on one pair of every public set
in its released folder layout."""
import json
import os.path as osp

import pytest
import torch
from mmagic.utils import register_all_modules
from mmengine.config import Config
from mmengine.runner import Runner

from mmderain.apis import build_train_cfg

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG_DIR = osp.join(ROOT, 'configs', 'nr')
PENALTIES = {'ewc': 'EWCHook', 'mas': 'MASHook', 'pigwm': 'PIGWMHook'}


def _hooks(cfg):
    return [h.type for h in cfg.custom_hooks]


@pytest.mark.parametrize('setting', ['rain_seq', 'demo_rendered_seq'])
def test_baselines_are_the_nr_sequence_with_another_method(setting):
    def load(name):
        if name == 'nr' and setting == 'rain_seq':
            return Config.fromfile(osp.join(CONFIG_DIR, 'prenet_rain_seq.py'))
        return Config.fromfile(
            osp.join(CONFIG_DIR, f'prenet_{name}_{setting}.py'))

    nr = load('nr')
    assert _hooks(nr) == ['SynapticConsolidationHook', 'TeacherSnapshotHook']
    sc, kd = nr.custom_hooks
    assert sc.per_sample is True and sc.rank_free_only is False
    for method in [*PENALTIES, 'lwf', 'si', 'nr-per-batch', 'nr-free-rank']:
        cfg = load(method)
        # Model, sequence and evaluation are NR's; only the hooks differ.
        for key in ('model', 'optim_wrapper', 'train_cfg', 'default_hooks',
                    'val_dataloader', 'val_evaluator'):
            assert cfg[key] == nr[key], (method, key)
    for method, hook in PENALTIES.items():
        assert _hooks(load(method)) == [hook]
    assert load('lwf').custom_hooks == [kd]
    assert load('si').custom_hooks == []
    for method, change in [('nr-per-batch', dict(per_sample=False)),
                           ('nr-free-rank', dict(rank_free_only=True))]:
        assert load(method).custom_hooks == [dict(sc, **change), kd]
    if setting == 'rain_seq':
        assert load('nr-wo-kd').custom_hooks == [sc]
    assert nr.default_hooks.footprint.type == 'StateFootprintHook'


def _tiny(tmp_path):
    options = {'train_cfg.param_scheduler.milestones': [1]}
    for i in range(4):
        task = f'train_cfg.tasks.{i}.'
        options[task + 'max_iters'] = 2
        options[task + 'dataloader.dataset.num_samples'] = 4
        options[task + 'dataloader.dataset.img_size'] = 24
    for i in range(5):
        options[f'val_dataloader.{i}.dataset.num_samples'] = 1
        options[f'val_dataloader.{i}.dataset.img_size'] = 24
    # The public and real sets are optional: a missing folder leaves them
    # out (where their data is linked, too).
    for i in (5, 6, 7):
        options[f'val_dataloader.{i}.dataset.data_root'] = str(
            tmp_path / 'none')
    options['model.generator.num_stages'] = 2
    return options


@pytest.mark.e2e
@pytest.mark.parametrize(
    'name', ['ewc', 'mas', 'pigwm', 'lwf', 'nr-per-batch', 'nr-free-rank'])
def test_demo_runs_end_to_end(tmp_path, name):
    register_all_modules()
    cfg = build_train_cfg(
        osp.join(CONFIG_DIR, f'prenet_{name}_demo_rendered_seq.py'),
        work_dir=str(tmp_path / 'work'),
        cfg_options=_tiny(tmp_path))
    runner = Runner.from_cfg(cfg)
    runner.train()
    work = str(tmp_path / 'work')
    with open(osp.join(work, 'sequence_eval.json')) as f:
        assert len(json.load(f)['rows']) == 4
    with open(osp.join(work, 'extra_state.json')) as f:
        footprint = json.load(f)
    # EWC/MAS/PIGWM keep importance + anchors (2 float32 networks), LwF a
    # teacher (1 network), NR a teacher, importance and bool masks.
    ratio = footprint['extra_bytes'] / footprint['model_bytes']
    assert ratio == pytest.approx({
        'lwf': 1.0, 'nr-per-batch': 2.25, 'nr-free-rank': 2.25
    }.get(name, 2.0), rel=0.01)
    if name in PENALTIES:
        last = torch.load(
            osp.join(work, 'task3_rendered_rain100l.pth'), weights_only=True)
        state = last[f'quadratic_penalty_{PENALTIES[name]}']
        assert state['num_consolidated'] == 4
        assert sum(float(v.sum()) for v in state['importance'].values()) > 0


@pytest.mark.e2e
@pytest.mark.parametrize(
    'name', ['ewc', 'mas', 'pigwm', 'lwf', 'nr-per-batch', 'nr-free-rank'])
def test_paper_configs_run_end_to_end(public_data_layout, monkeypatch, name):
    # The configs read data/ relative to the working directory, as a user
    # runs them from the repository root; one epoch of one grid patch per
    # task (a narrow 2-stage PReNet), every test set and SPA-Data evaluated
    # after every task.
    monkeypatch.chdir(public_data_layout.parent)
    options = {
        'model.generator.num_stages': 2,
        'model.generator.mid_channels': 8,
        'model.generator.num_blocks': 1,
    }
    for i in range(4):
        options[f'train_cfg.tasks.{i}.max_epochs'] = 1
        options[f'train_cfg.tasks.{i}.dataloader.num_workers'] = 0
    for i in range(5):
        options[f'val_dataloader.{i}.num_workers'] = 0
    register_all_modules()
    work = public_data_layout.parent / 'work'
    cfg = build_train_cfg(
        osp.join(CONFIG_DIR, f'prenet_{name}_rain_seq.py'),
        work_dir=str(work),
        cfg_options=options)
    Runner.from_cfg(cfg).train()
    with open(work / 'sequence_eval.json') as f:
        rows = json.load(f)['rows']
    assert len(rows) == 4
    sets = {'rain100h', 'rain800', 'rain14000', 'rain100l', 'spa'}
    assert [set(row['values']['Y/PSNR']) for row in rows] == [sets] * 4
    with open(work / 'extra_state.json') as f:
        assert json.load(f)['after_task'] == 3
