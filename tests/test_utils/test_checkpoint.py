import pickle

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer, MessageHub

import mmderain  # noqa: F401  (registers the safe globals)


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
