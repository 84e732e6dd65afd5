"""The penalty-weight grid: a grid run trains on the demo sequence but
validates on renders of the training photos with another rain seed, the
public set left out, and the best validation average wins."""
import argparse
import json
import os.path as osp

import pytest
from mmengine.config import DictAction

from mmderain.apis import build_train_cfg
from mmderain.experiments import penalty_grid

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
MAS_DEMO = osp.join(ROOT, 'configs/nr/prenet_mas_demo_rendered_seq.py')


def test_grid_options_validate_on_unseen_rain_without_public_set(tmp_path):
    strings = penalty_grid.grid_options(300.0, 20, str(tmp_path))
    parser = argparse.ArgumentParser()
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    options = parser.parse_args(['--cfg-options', *strings]).cfg_options
    cfg = build_train_cfg(
        MAS_DEMO, work_dir=str(tmp_path / 'w'), cfg_options=options)
    assert cfg.custom_hooks[0].type == 'MASHook'
    assert cfg.custom_hooks[0].loss_weight == 300.0
    assert [t.max_iters for t in cfg.train_cfg.tasks] == [20] * 4
    assert cfg.train_cfg.param_scheduler.milestones == [6, 10, 16]
    for loader in cfg.val_dataloader[:4]:
        assert loader.dataset.split == 'train'
        assert loader.dataset.seed == penalty_grid.VALIDATION_SEED
        assert loader.dataset.seed != cfg.test_dataloader[0].dataset.seed
    # The optional sets (loaders 5-7) read a folder that does not exist, so
    # the run leaves them out even where their data is linked.
    roots = [s for s in strings if '.dataset.data_root=' in s]
    assert [r.split('.')[1] for r in roots] == ['5', '6', '7']
    assert len(cfg.val_dataloader) == 5
    assert cfg.default_hooks.sequence_eval.extra_sets == ['rendered_heldout']


def test_grid_picks_the_best_average_and_writes_it(tmp_path, monkeypatch):
    trained = []

    class Matrix:

        def __init__(self, average):
            self.average = average

        def summary(self):
            return {'Y/PSNR': {'average': self.average}}

    # Training is replaced by fixed averages per weight.
    averages = {'ewc w=10': 20.0, 'ewc w=100': 22.5, 'ewc w=1000': 21.0}
    monkeypatch.setattr(
        penalty_grid, 'train_configs',
        lambda runs, root, cfg_options, skip_finished: trained.append(
            (list(runs), cfg_options[0])))
    monkeypatch.setattr(penalty_grid, 'collect_results',
                        lambda labels, root: {
                            label: Matrix(averages[label])
                            for label in labels
                        })
    choice = penalty_grid.run_penalty_grid('ewc', 'unused.py',
                                           [10, 100, 1000], 5, str(tmp_path))
    assert choice['best'] == 100
    assert [t[1] for t in trained] == [
        f'custom_hooks.0.loss_weight={w}' for w in (10, 100, 1000)
    ]
    with open(tmp_path / 'grid_ewc.json') as f:
        assert json.load(f)['scores'] == {
            '10': 20.0,
            '100': 22.5,
            '1000': 21.0
        }


def test_grid_without_weights_is_an_error(tmp_path):
    with pytest.raises(ValueError, match='ewc grid needs at least one'):
        penalty_grid.run_penalty_grid('ewc', 'unused.py', [], 5,
                                      str(tmp_path))
