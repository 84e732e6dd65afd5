"""How the configs are composed: at most two levels of run configs above
the fragments of configs/_base_, and fragments that each own their part
(model, sequence, method, schedule) of a run."""
import ast
import glob
import os.path as osp

import pytest
from mmengine.config import Config

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
BASE = osp.join(ROOT, 'configs', '_base_')
RUNS = sorted(
    p for p in glob.glob(osp.join(ROOT, 'configs', '*', '*.py'))
    if osp.dirname(p) != BASE)
METHODS = sorted(glob.glob(osp.join(BASE, 'methods', '*.py')))
SEQUENCES = sorted(glob.glob(osp.join(BASE, 'sequences', '*.py')))


def bases(path):
    """The files ``path`` inherits, as absolute paths."""
    for node in ast.parse(open(path).read()).body:
        if (isinstance(node, ast.Assign)
                and getattr(node.targets[0], 'id', None) == '_base_'):
            found = ast.literal_eval(node.value)
            found = [found] if isinstance(found, str) else found
            return [
                osp.normpath(osp.join(osp.dirname(path), b)) for b in found
            ]
    return []


def run_levels(path):
    """Run configs (outside _base_) in the longest chain from ``path``."""
    if osp.commonpath([path, BASE]) == BASE:
        return 0
    return 1 + max([run_levels(b) for b in bases(path)] or [0])


def depth(path):
    """Inheritance steps in the longest chain from ``path``."""
    return 1 + max(depth(b) for b in bases(path)) if bases(path) else 0


def test_levels_and_depth_count_what_they_say():
    nr_demo = osp.join(ROOT, 'configs', 'nr', 'prenet_nr_demo_rendered_seq.py')
    tiny = osp.join(ROOT, 'tests', 'data', 'configs',
                    'tiny_nr_demo_rendered_seq.py')
    assert (run_levels(nr_demo), depth(nr_demo)) == (1, 2)
    assert (run_levels(tiny), depth(tiny)) == (2, 3)


@pytest.mark.parametrize(
    'path', RUNS, ids=[osp.relpath(p, ROOT) for p in RUNS])
def test_at_most_two_run_levels_above_the_fragments(path):
    # A run inherits fragments, or one run that inherits fragments.
    assert run_levels(path) <= 2
    if '/configs/ttl/' not in path:
        # NR and PReNet runs: at most two steps in all, as mmagic's.
        assert depth(path) <= 2


@pytest.mark.parametrize('path', METHODS, ids=osp.basename)
def test_method_fragments_set_only_hooks(path):
    cfg = Config.fromfile(path)
    assert set(cfg) <= {'custom_hooks', 'sc_hook', 'kd_hook'}
    assert isinstance(cfg.custom_hooks, list)


@pytest.mark.parametrize('path', SEQUENCES, ids=osp.basename)
def test_sequence_fragments_leave_model_and_method_to_others(path):
    cfg = Config.fromfile(path)
    assert 'model' not in cfg and 'custom_hooks' not in cfg
    assert cfg.train_cfg.type == 'SequentialTrainLoop'
    assert cfg.optim_wrapper.type == 'MaskedOptimWrapper'
    assert cfg.default_hooks.sequence_eval.type == 'SequenceEvalHook'
    assert cfg.default_hooks.footprint.type == 'StateFootprintHook'
    # The Mix baseline's task, for its config to take.
    assert cfg.mix_task.dataloader == cfg.mix_loader
    assert cfg.mix_loader.dataset.datasets == [
        task.dataloader.dataset for task in cfg.train_cfg.tasks
    ]
