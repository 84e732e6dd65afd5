"""The Neural Reorganization configs parse, carry the paper's settings and
are composed of one model, one sequence and one method fragment."""
import ast
import glob
import os.path as osp

import pytest
from mmagic.registry import HOOKS, MODELS
from mmengine.config import Config
from mmengine.registry import DefaultScope

import mmderain  # noqa: F401

CONFIG_DIR = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'nr')
NR = osp.join(CONFIG_DIR, 'prenet_rain_seq.py')
CONFIGS = sorted(glob.glob(osp.join(CONFIG_DIR, '*.py')))


def _hooks(cfg):
    defaults = [h for h in (cfg.get('default_hooks') or {}).values() if h]
    return defaults + list(cfg.get('custom_hooks') or [])


def _hook(cfg, type_name):
    return next((h for h in _hooks(cfg) if h.type == type_name), None)


def _bases(path):
    """The ``_base_`` entries of a config file, as written."""
    for node in ast.parse(open(path).read()).body:
        if (isinstance(node, ast.Assign)
                and getattr(node.targets[0], 'id', None) == '_base_'):
            bases = ast.literal_eval(node.value)
            return [bases] if isinstance(bases, str) else bases
    return []


def test_nr_config_has_paper_settings():
    cfg = Config.fromfile(NR)
    assert cfg.model.type == 'DistillEditModel'
    assert 'distill_loss' not in cfg.model
    kd = _hook(cfg, 'TeacherSnapshotHook')
    assert kd.distill_loss.loss_weight == 0.8
    assert kd.distill_loss.criterion.type == 'SSIMLoss'
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
    assert [h.type for h in cfg.custom_hooks
            ] == ['SynapticConsolidationHook', 'TeacherSnapshotHook']
    assert cfg.default_hooks.sequence_eval.extra_sets == ['spa']
    assert cfg.default_hooks.footprint.type == 'StateFootprintHook'
    assert len(cfg.val_dataloader) == len(cfg.val_evaluator) == 5


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_config_is_a_model_a_sequence_and_a_method(path):
    kinds = [osp.dirname(osp.relpath(b, '../_base_')) for b in _bases(path)]
    assert kinds == ['models', 'sequences', 'methods'], _bases(path)
    # The method is its fragment alone: no leaf sets or strips hooks.
    text = open(path).read()
    assert 'custom_hooks' not in text
    cfg = Config.fromfile(path)
    method = Config.fromfile(
        osp.join(CONFIG_DIR, _bases(path)[2])).custom_hooks
    assert cfg.custom_hooks == method
    assert cfg.train_cfg.type == 'SequentialTrainLoop'
    assert cfg.param_scheduler is None
    # Every method shares the wrapper; without masks it is OptimWrapper.
    assert cfg.optim_wrapper.type == 'MaskedOptimWrapper'
    # The runner's required train_dataloader is the first task's, with no
    # keys left over from a parent config's dataset.
    assert cfg.train_dataloader == cfg.train_cfg.tasks[0].dataloader
    names = [t.name for t in cfg.train_cfg.tasks]
    assert len(names) == len(set(names)) >= 1
    sets = cfg.default_hooks.sequence_eval
    assert sets.type == 'SequenceEvalHook'
    prefixes = {
        m['prefix'].rsplit('-', 1)[0]
        for metrics in cfg.val_evaluator for m in metrics
    }
    assert prefixes == set(sets.task_sets) | set(sets.extra_sets)
    kd = _hook(cfg, 'TeacherSnapshotHook')
    if kd is not None:
        assert kd.distill_loss.loss_weight == 0.8
    # The method's hooks build; the model takes their loss terms.
    with DefaultScope.overwrite_default_scope('mmagic'):
        for hook in cfg.custom_hooks:
            HOOKS.build(hook)
    assert cfg.model.type == 'DistillEditModel'


# Parameters of each backbone at the size its config sets: Restormer's
# de-raining network has 26.13M (Zamir et al., CVPR 2022); NAFNet is the
# width-32 network of Chen et al. (ECCV 2022, SIDD setting), counted from
# mmagic's implementation.
@pytest.mark.parametrize('name, generator, num_params', [
    ('nafnet_nr_rain_seq.py', 'NAFNet', 29_159_715),
    ('restormer_nr_rain_seq.py', 'Restormer', 26_126_644),
])
def test_other_backbones_by_config(name, generator, num_params):
    cfg = Config.fromfile(osp.join(CONFIG_DIR, name))
    assert cfg.model.generator.type == generator
    with DefaultScope.overwrite_default_scope('mmagic'):
        net = MODELS.build(cfg.model.generator)
    assert type(net) is MODELS.get(generator)
    assert sum(p.numel() for p in net.parameters()) == num_params


def test_ablations_and_baselines():
    load = lambda n: Config.fromfile(osp.join(CONFIG_DIR, n))  # noqa: E731
    free = _hook(load('prenet_nr-free-rank_rain_seq.py'),
                 'SynapticConsolidationHook')
    assert free.rank_free_only is True
    mix = load('prenet_mix_rain_seq.py')
    assert mix.train_cfg.tasks[0].dataloader.dataset.type == 'ConcatDataset'
    assert len(mix.train_cfg.tasks[0].dataloader.dataset.datasets) == 4
    demo_mix = load('prenet_mix_demo_rendered_seq.py')
    demo_nr = load('prenet_nr_demo_rendered_seq.py')
    assert demo_mix.train_cfg.tasks[0].max_iters == sum(
        t.max_iters for t in demo_nr.train_cfg.tasks)
    # PReNet's milestones at 30/50/80% of the one long task.
    assert demo_mix.train_cfg.param_scheduler.milestones == [600, 1000, 1600]
    assert demo_nr.train_cfg.param_scheduler.milestones == [150, 250, 400]
    nr = load('prenet_rain_seq.py')
    for index, name in enumerate(nr.default_hooks.sequence_eval.task_sets):
        single = load(f'prenet_single_{name}.py')
        assert single.train_cfg.tasks == [nr.train_cfg.tasks[index]]
        assert single.train_dataloader == nr.train_cfg.tasks[index].dataloader
    assert _hook(demo_nr, 'SequenceEvalHook').extra_sets == [
        'rendered_heldout', 'public-raintrainl-heldout-c192',
        'public-raintrainh-c192', 'real-video-c192'
    ]


def test_rain_free_demo_is_the_nr_demo_with_rain_free_samples():
    load = lambda n: Config.fromfile(osp.join(CONFIG_DIR, n))  # noqa: E731
    plain = load('prenet_nr_demo_rendered_seq.py')
    rain_free = load('prenet_nr_demo_rendered-rain-free_seq.py')
    assert len(rain_free.train_cfg.tasks) == len(plain.train_cfg.tasks) == 4
    for ours, theirs in zip(rain_free.train_cfg.tasks, plain.train_cfg.tasks):
        dataset = dict(ours.dataloader.dataset)
        assert dataset.pop('rain_free_prob') == 0.2
        assert dataset == theirs.dataloader.dataset
        assert dict(ours, dataloader=theirs.dataloader) == theirs
    assert (rain_free.train_dataloader ==
            rain_free.train_cfg.tasks[0].dataloader)
    for key in ('model', 'custom_hooks', 'val_dataloader', 'default_hooks',
                'optim_wrapper', 'randomness'):
        assert rain_free[key] == plain[key], key
    assert (rain_free.train_cfg.param_scheduler ==
            plain.train_cfg.param_scheduler)


@pytest.mark.parametrize(
    'path', [p for p in CONFIGS if '_demo_' in p], ids=osp.basename)
def test_demos_generalize_to_public_and_real_sets(path):
    cfg = Config.fromfile(path)
    assert cfg.demo_iters == 500
    assert [t.max_iters for t in cfg.train_cfg.tasks
            ] in ([500] * 4, [2000])
    # Name, folder and id range of the optional sets, after the held-out
    # rendered style.
    optional = [
        ('public-raintrainl-heldout-c192', 'data/RainTrainL', (159, 200)),
        ('public-raintrainh-c192', 'data/RainTrainH', None),
        ('real-video-c192', 'data/real_video_pairs', None),
    ]
    for split in ('val', 'test'):
        loaders = cfg[f'{split}_dataloader'][-3:]
        evaluators = cfg[f'{split}_evaluator'][-3:]
        for loader, evaluator, (name, root, ids) in zip(
                loaders, evaluators, optional):
            assert loader.optional_name == name
            assert loader.batch_size == 1
            assert loader.dataset.type == 'Rain100Dataset'
            assert loader.dataset.data_root == root
            found = loader.dataset.get('id_range')
            assert (found if found is None else tuple(found)) == ids
            # The same centre crop of rainy and clean image, no resize.
            assert [t.type for t in loader.dataset.pipeline] == [
                'LoadImageFromFile', 'LoadImageFromFile', 'PairedCenterCrop',
                'PackInputs'
            ]
            crop = loader.dataset.pipeline[2]
            assert crop['keys'] == ['img', 'gt']
            assert tuple(crop.crop_size) == (192, 192)
            assert evaluator[0].prefix == f'{name}-Y'
    assert _hook(cfg, 'SequenceEvalHook').extra_sets[-3:] == [
        name for name, _, _ in optional
    ]
    # Only the real set says how to make its folder.
    assert [bool(loader.get('optional_hint'))
            for loader in cfg.val_dataloader[-3:]] == [False, False, True]
    assert 'video_to_pairs.py' in cfg.val_dataloader[-1].optional_hint
