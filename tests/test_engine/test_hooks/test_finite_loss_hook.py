import math
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
from mmengine.hooks import Hook
from mmengine.runner import Runner
from nr_toys import toy_cfg

from mmderain.engine.hooks.finite_loss_hook import (FiniteLossHook,
                                                    add_finite_loss_hook)


class PoisonWeights(Hook):
    """Set a weight to NaN before iteration ``at`` (1-based)."""

    def __init__(self, at):
        self.at = at

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if runner.iter + 1 == self.at:
            with torch.no_grad():
                runner.model.generator.conv2.bias[0] = math.nan


def test_nan_loss_stops_naming_iteration_and_task_keeping_last_good(
        tmp_path):
    cfg = toy_cfg(str(tmp_path), task_iters=(2, 3))
    add_finite_loss_hook(cfg)
    add_finite_loss_hook(cfg)
    assert [h['type'] for h in cfg.custom_hooks].count('FiniteLossHook') == 1
    runner = Runner.from_cfg(cfg)
    runner.register_hook(PoisonWeights(at=4))
    with pytest.raises(FloatingPointError) as info:
        runner.train()
    message = str(info.value)
    assert 'not finite at iteration 4 (task 1, toy80)' in message
    assert 'loss=nan' in message
    last_good = osp.join(str(tmp_path), 'iter_3.pth')
    assert f'The last good checkpoint is "{last_good}"' in message
    assert not osp.exists(osp.join(str(tmp_path), 'iter_4.pth'))
    with open(osp.join(str(tmp_path), 'last_checkpoint')) as f:
        assert f.read().strip() == last_good
    state = torch.load(last_good, weights_only=True)['state_dict']
    assert all(torch.isfinite(v).all() for v in state.values())


def test_message_without_a_saved_checkpoint(tmp_path):
    runner = SimpleNamespace(
        iter=0, train_loop=SimpleNamespace(), work_dir=str(tmp_path))
    message = FiniteLossHook._message(runner, dict(loss=math.inf))
    assert 'at iteration 1: loss=inf' in message
    assert message.endswith('No checkpoint was saved before it.')
    # An empty pointer names no checkpoint either.
    (tmp_path / 'last_checkpoint').write_text('')
    assert FiniteLossHook._message(runner, {}).endswith(
        'on another rank. Nothing of this iteration was saved. '
        'No checkpoint was saved before it.')
