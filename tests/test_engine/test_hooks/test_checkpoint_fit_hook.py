from types import SimpleNamespace

import pytest
from mmengine.config import Config
from torch import nn

from mmderain.engine.hooks import CheckpointFitHook, WeightMismatchError
from mmderain.engine.hooks.checkpoint_fit_hook import (add_checkpoint_fit_hook,
                                                       check_weights_fit,
                                                       checkpoint_state_dict)


class Net(nn.Module):

    def __init__(self, width=2):
        super().__init__()
        self.conv = nn.Conv2d(1, width, 1)
        self.norm = nn.BatchNorm2d(width)
        self.heads = nn.ModuleList(nn.Linear(width, 1) for _ in range(8))


def test_keys_are_judged_as_mmengine_loads_them():
    state = {
        f'module.{key}': value
        for key, value in Net().state_dict().items()
        if key != 'norm.num_batches_tracked'
    }
    loaded = checkpoint_state_dict(dict(meta={}, state_dict=state))
    assert list(loaded) == [key[len('module.'):] for key in state]
    # mmengine does not miss BatchNorm's counter either.
    check_weights_fit(Net(), loaded, 'net.pth')


def test_error_names_the_first_keys_of_each_kind():
    state = Net(width=3).state_dict()
    state['extra'] = state.pop('conv.bias')
    with pytest.raises(WeightMismatchError) as info:
        check_weights_fit(Net(), state, 'wide.pth')
    message = str(info.value)
    # Fitting: the BatchNorm counter and the eight head biases.
    assert message.startswith(
        'Checkpoint "wide.pth" does not fit the model Net: 9 of its 23 '
        'weights fit; 1 missing keys (model shape): conv.bias [2]; 1 '
        'unexpected keys (checkpoint shape): extra [3]; 13 keys of another '
        'size (checkpoint vs model): conv.weight [3, 1, 1, 1] vs '
        '[2, 1, 1, 1], norm.weight [3] vs [2]')
    assert ('norm.running_var [3] vs [2] and 8 more. Give the checkpoint of '
            'this config, or load only the fitting weights (tools/test.py '
            '--allow-partial-load') in message
    check_weights_fit(Net(), state, 'wide.pth', strict=False)


def _runner(tmp_path, **cfg):
    return SimpleNamespace(
        model=Net(), cfg=Config(cfg), work_dir=str(tmp_path))


def test_hook_names_the_checkpoint_the_runner_loads(tmp_path):
    hook = CheckpointFitHook(strict=False)
    checkpoint = dict(state_dict={'conv.weight': Net(3).conv.weight})
    with pytest.raises(WeightMismatchError, match='"given.pth"'):
        hook.after_load_checkpoint(
            _runner(tmp_path, load_from='given.pth'), checkpoint)
    latest = tmp_path / 'iter_3.pth'
    (tmp_path / 'last_checkpoint').write_text(str(latest))
    with pytest.raises(WeightMismatchError, match=f'"{latest}"'):
        hook.after_load_checkpoint(
            _runner(tmp_path, load_from=None, resume=True), checkpoint)
    checkpoint['state_dict'].update(Net().state_dict())
    hook.after_load_checkpoint(
        _runner(tmp_path, load_from='given.pth'), checkpoint)
    with pytest.raises(WeightMismatchError, match='conv.weight'):
        CheckpointFitHook().after_load_checkpoint(
            _runner(tmp_path, load_from='given.pth'),
            dict(state_dict={'conv.weight': Net(3).conv.weight}))


def test_add_checkpoint_fit_hook_keeps_one():
    cfg = Config(dict(custom_hooks=[dict(type='FiniteLossHook')]))
    add_checkpoint_fit_hook(cfg, strict=False)
    add_checkpoint_fit_hook(cfg, strict=True)
    assert cfg.custom_hooks == [
        dict(type='FiniteLossHook'),
        dict(type='CheckpointFitHook', strict=True)
    ]
