"""The Neural Reorganization configs parse, carry the paper's settings and
inherit the NR config."""
import glob
import os.path as osp
import re

import pytest
from mmagic.registry import HOOKS, MODELS
from mmengine.config import Config
from mmengine.registry import DefaultScope

import mmderain  # noqa: F401

CONFIG_DIR = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'nr')
NR = osp.join(CONFIG_DIR, 'prenet_rain_seq.py')
CONFIGS = sorted(glob.glob(osp.join(CONFIG_DIR, '*.py')))


def _hook(cfg, type_name):
    return next((h for h in cfg.custom_hooks if h.type == type_name), None)


def _inherits_nr(path, seen=()):
    text = open(path).read()
    match = re.search(r"^_base_ = \[?\s*'\./(.+?)'", text, re.M)
    if match is None:
        return False
    parent = osp.join(CONFIG_DIR, match.group(1))
    return osp.samefile(parent, NR) or _inherits_nr(parent)


def test_nr_config_has_paper_settings():
    cfg = Config.fromfile(NR)
    assert cfg.model.type == 'DistillEditModel'
    assert cfg.model.distill_loss.loss_weight == 0.8
    assert cfg.model.distill_loss.criterion.type == 'SSIMLoss'
    assert cfg.optim_wrapper.type == 'MaskedOptimWrapper'
    assert cfg.optim_wrapper.optimizer.lr == 1e-3
    assert cfg.param_scheduler is None
    assert cfg.train_cfg.type == 'SequentialTrainLoop'
    assert [t.name for t in cfg.train_cfg.tasks
            ] == ['rain100h', 'rain800', 'rain14000', 'rain100l']
    for task in cfg.train_cfg.tasks:
        assert task.max_epochs == 100
        assert task.dataloader.batch_size == 18
    assert cfg.train_cfg.param_scheduler.milestones == [30, 50, 80]
    assert cfg.train_cfg.param_scheduler.gamma == 0.2
    sc = HOOKS.build(_hook(cfg, 'SynapticConsolidationHook'))
    assert (sc.alpha_l, sc.tau_s, sc.tau_l) == (0.008, 1, 10)
    assert abs(sc.alpha_s - 0.5789) < 1e-4
    assert _hook(cfg, 'TeacherSnapshotHook') is not None
    eval_hook = _hook(cfg, 'SequenceEvalHook')
    assert eval_hook.extra_sets == ['spa']
    assert len(cfg.val_dataloader) == len(cfg.val_evaluator) == 5


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_config_parses_and_inherits_nr(path):
    cfg = Config.fromfile(path)
    assert cfg.train_cfg.type == 'SequentialTrainLoop'
    assert cfg.param_scheduler is None
    if not osp.samefile(path, NR):
        assert _inherits_nr(path)
    # The runner's required train_dataloader is the first task's, with no
    # keys left over from a parent config's dataset.
    assert cfg.train_dataloader == cfg.train_cfg.tasks[0].dataloader
    names = [t.name for t in cfg.train_cfg.tasks]
    assert len(names) == len(set(names)) >= 1
    sets = _hook(cfg, 'SequenceEvalHook')
    prefixes = {
        m['prefix'].rsplit('-', 1)[0]
        for metrics in cfg.val_evaluator for m in metrics
    }
    assert prefixes == set(sets.task_sets) | set(sets.extra_sets)
    has_sc = _hook(cfg, 'SynapticConsolidationHook') is not None
    assert has_sc == (cfg.optim_wrapper.type == 'MaskedOptimWrapper')
    has_kd = _hook(cfg, 'TeacherSnapshotHook') is not None
    assert has_kd == (cfg.model.get('distill_loss') is not None)


@pytest.mark.parametrize('name, generator', [
    ('nafnet_nr_rain_seq.py', 'NAFNet'),
    ('restormer_nr_rain_seq.py', 'Restormer'),
])
def test_other_backbones_by_inheritance(name, generator):
    cfg = Config.fromfile(osp.join(CONFIG_DIR, name))
    assert cfg.model.generator.type == generator
    with DefaultScope.overwrite_default_scope('mmagic'):
        net = MODELS.build(cfg.model.generator)
    assert sum(p.numel() for p in net.parameters()) > 0


def test_ablations_and_baselines():
    load = lambda n: Config.fromfile(osp.join(CONFIG_DIR, n))  # noqa: E731
    free = _hook(load('prenet_nr-free-rank_rain_seq.py'),
                 'SynapticConsolidationHook')
    assert free.rank_free_only is True
    mix = load('prenet_mix_rain_seq.py')
    assert mix.train_cfg.tasks[0].dataloader.dataset.type == 'ConcatDataset'
    assert len(mix.train_cfg.tasks[0].dataloader.dataset.datasets) == 4
    demo_mix = load('prenet_mix_demo_syn_seq.py')
    demo_nr = load('prenet_nr_demo_syn_seq.py')
    assert demo_mix.train_cfg.tasks[0].max_iters == sum(
        t.max_iters for t in demo_nr.train_cfg.tasks)
    assert _hook(demo_nr, 'SequenceEvalHook').extra_sets == [
        'syn_heldout', 'real-rain100l-c192'
    ]


@pytest.mark.parametrize(
    'path', [p for p in CONFIGS if '_demo_' in p], ids=osp.basename)
def test_demos_generalize_to_the_real_heldout_split(path):
    cfg = Config.fromfile(path)
    assert cfg.demo_iters == 500
    assert [t.max_iters for t in cfg.train_cfg.tasks
            ] in ([500] * 4, [2000])
    for split in ('val', 'test'):
        real = cfg[f'{split}_dataloader'][-1]
        assert real.optional_name == 'real-rain100l-c192'
        assert real.batch_size == 1
        assert real.dataset.type == 'Rain100Dataset'
        assert real.dataset.data_root == 'data/RainTrainL'
        assert tuple(real.dataset.id_range) == (159, 200)
        # The same centre crop of rainy and clean image, no resize.
        assert [t.type for t in real.dataset.pipeline] == [
            'LoadImageFromFile', 'LoadImageFromFile', 'PairedCenterCrop',
            'PackInputs'
        ]
        crop = real.dataset.pipeline[2]
        assert crop['keys'] == ['img', 'gt']
        assert tuple(crop.crop_size) == (192, 192)
        assert (cfg[f'{split}_evaluator'][-1][0].prefix ==
                'real-rain100l-c192-Y')
    assert (_hook(cfg, 'SequenceEvalHook').extra_sets[-1] ==
            'real-rain100l-c192')
