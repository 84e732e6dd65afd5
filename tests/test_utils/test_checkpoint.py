import os
import pickle
from collections import OrderedDict

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer, MessageHub
from mmengine.runner import load_checkpoint
from torch import nn

import mmderain  # noqa: F401  (registers the safe globals)
from mmderain.models.editors.prenet import convert_original_state_dict
from mmderain.models.editors.ttl.stage_checkpoint import load_stage_weights
from mmderain.utils import CheckpointRefusedError, load_checkpoint_file


def test_message_hub_state_loads_with_weights_only(tmp_path):
    hub = MessageHub.get_instance('test_checkpoint')
    hub.update_scalar('train/loss', 0.5)
    hub.update_scalar('train/loss', np.float64(0.25))
    hub.update_info('iter', 3)
    state = dict(
        meta=dict(message_hub=hub.state_dict(), seed=np.int64(1)),
        state_dict=dict(w=torch.ones(2)),
        array=np.arange(4, dtype=np.float32))
    path = tmp_path / 'ckpt.pth'
    torch.save(state, path)
    loaded = torch.load(path, weights_only=True)
    buffer = loaded['meta']['message_hub']['log_scalars']['train/loss']
    assert isinstance(buffer, HistoryBuffer)
    assert buffer.mean() == 0.375
    np.testing.assert_array_equal(loaded['array'], np.arange(4))


class Untrusted:
    pass


def test_arbitrary_classes_stay_rejected(tmp_path):
    path = tmp_path / 'untrusted.pth'
    torch.save({'x': Untrusted()}, path)
    with pytest.raises(pickle.UnpicklingError, match='Unsupported global'):
        torch.load(path, weights_only=True)


class RunsACommand:
    """Unpickling this would run ``touch <marker>``."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return os.system, (f'touch {self.marker}', )


def hostile_checkpoint(folder):
    """A checkpoint whose pickle would create ``folder/pwned``; returns the
    checkpoint path and the marker path."""
    marker = folder / 'pwned'
    path = folder / 'hostile.pth'
    torch.save(
        dict(state_dict=dict(w=torch.ones(1)), meta=RunsACommand(marker)),
        path)
    return path, marker


def test_hostile_checkpoint_is_refused_on_every_in_process_path(tmp_path):
    path, marker = hostile_checkpoint(tmp_path)
    loaders = [
        lambda: load_checkpoint_file(path),
        # mmengine's public loader: resume, load_from, tools/test.py and
        # mmderain.apis.init_model all read local files through it.
        lambda: load_checkpoint(nn.Linear(1, 1), str(path)),
        lambda: load_stage_weights(
            str(path), 'student_checkpoint', {'w': nn.Linear(1, 1)}),
    ]
    for load in loaders:
        with pytest.raises(CheckpointRefusedError) as info:
            load()
        message = str(info.value)
        assert f'Refused to load checkpoint "{path}"' in message
        assert 'system' in message and 'could run code' in message
        assert not marker.exists()


def test_unreadable_checkpoints_name_the_file(tmp_path):
    truncated = tmp_path / 'truncated.pth'
    torch.save(dict(state_dict=dict(w=torch.ones(1000))), truncated)
    truncated.write_bytes(truncated.read_bytes()[:200])
    with pytest.raises(CheckpointRefusedError,
                       match=f'Cannot read checkpoint "{truncated}"'):
        load_checkpoint_file(truncated)
    with pytest.raises(CheckpointRefusedError, match='does not exist'):
        load_checkpoint_file(tmp_path / 'missing.pth')


def test_project_and_original_prenet_checkpoints_still_load(tmp_path):
    hub = MessageHub.get_instance('test_checkpoint_loads')
    hub.update_scalar('train/loss', np.float64(0.25))
    ours = tmp_path / 'ours.pth'
    torch.save(
        dict(
            meta=dict(seed=np.int64(1), message_hub=hub.state_dict()),
            state_dict=OrderedDict(w=torch.ones(2))), ours)
    assert torch.equal(load_checkpoint_file(ours)['state_dict']['w'],
                       torch.ones(2))

    # PReNet's release (github.com/csdwren/PReNet) saves the bare state
    # dict of an nn.DataParallel model with the original layer names.
    original = OrderedDict([
        ('module.conv0.0.weight', torch.ones(32, 6, 3, 3)),
        ('module.conv0.0.bias', torch.zeros(32)),
    ])
    path = tmp_path / 'net_latest.pth'
    torch.save(original, path)
    loaded = load_checkpoint_file(path)
    assert list(loaded) == list(original)
    assert sorted(convert_original_state_dict(loaded)) == [
        'conv_in.bias', 'conv_in.weight'
    ]
