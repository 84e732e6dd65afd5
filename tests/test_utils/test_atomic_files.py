import os
import stat

import pytest
import torch
from mmengine.fileio import get_file_backend
from mmengine.runner.checkpoint import save_checkpoint

import mmderain  # noqa: F401  (installs the atomic local backend)
from mmderain.utils import AtomicLocalBackend, atomic_write_text


class Killed(BaseException):
    """Stands for a kill arriving while the data is flushed."""


def _kill_during_flush(monkeypatch):

    def fsync(fd):
        raise Killed

    monkeypatch.setattr(os, 'fsync', fsync)


def test_a_kill_mid_write_keeps_the_old_complete_checkpoint(
        tmp_path, monkeypatch):
    path = str(tmp_path / 'iter_2.pth')
    save_checkpoint(dict(state_dict=dict(w=torch.zeros(3))), path)
    assert isinstance(get_file_backend(path), AtomicLocalBackend)

    _kill_during_flush(monkeypatch)
    with pytest.raises(Killed):
        save_checkpoint(dict(state_dict=dict(w=torch.ones(3))), path)
    loaded = torch.load(path, weights_only=True)
    assert torch.equal(loaded['state_dict']['w'], torch.zeros(3))
    with pytest.raises(Killed):
        save_checkpoint(dict(w=torch.ones(3)), str(tmp_path / 'iter_3.pth'))
    assert sorted(os.listdir(tmp_path)) == ['iter_2.pth']


def test_atomic_text_replaces_the_whole_file_with_normal_permissions(
        tmp_path):
    path = tmp_path / 'sub' / 'last_checkpoint'
    atomic_write_text(path, 'a/very/long/path/iter_10.pth')
    atomic_write_text(path, 'iter_2.pth')
    assert path.read_text() == 'iter_2.pth'
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    assert os.listdir(tmp_path / 'sub') == ['last_checkpoint']
