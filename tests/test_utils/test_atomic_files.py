import builtins
import errno
import os
import pickle
import stat

import pytest
import torch
from mmengine.fileio import get_file_backend
from mmengine.runner.checkpoint import save_checkpoint

import mmderain  # noqa: F401  (installs the atomic local backend)
from mmderain.utils import (AtomicLocalBackend, FileWriteError,
                            atomic_write_text)
from mmderain.utils import atomic_files


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


def _refuse(monkeypatch, where, code):
    """Make one step of an atomic write fail as the system would."""
    error = OSError(code, os.strerror(code))

    def fail(*args, **kwargs):
        raise error

    def fail_new_files(file, mode='r', *args, **kwargs):
        # Reading (the last_checkpoint pointer) still works.
        if 'x' in mode:
            raise error
        return builtins.open(file, mode, *args, **kwargs)

    if where == 'open':
        monkeypatch.setattr(atomic_files, 'open', fail_new_files,
                            raising=False)
    else:
        monkeypatch.setattr(os, where, fail)


@pytest.mark.parametrize('code',
                         [errno.ENOSPC, errno.EDQUOT, errno.EROFS,
                          errno.EACCES])
@pytest.mark.parametrize('where', ['open', 'fsync', 'replace'])
def test_a_failed_write_names_the_file_and_the_kept_checkpoint(
        tmp_path, monkeypatch, where, code):
    first = str(tmp_path / 'iter_2.pth')
    save_checkpoint(dict(state_dict=dict(w=torch.zeros(3))), first)
    atomic_write_text(tmp_path / 'last_checkpoint', first)

    _refuse(monkeypatch, where, code)
    path = str(tmp_path / 'iter_4.pth')
    with pytest.raises(FileWriteError) as info:
        save_checkpoint(dict(state_dict=dict(w=torch.ones(3))), path)
    error = info.value
    assert isinstance(error, OSError)
    assert (error.errno, error.filename) == (code, path)
    message = str(error)
    assert message.startswith(f'Cannot write {path}: [Errno {code}] '
                              f'{os.strerror(code)}.')
    assert (f'the newest complete checkpoint, {first} (named in '
            f'{tmp_path / "last_checkpoint"}), is untouched') in message
    monkeypatch.undo()
    assert sorted(os.listdir(tmp_path)) == ['iter_2.pth', 'last_checkpoint']
    assert torch.equal(
        torch.load(first, weights_only=True)['state_dict']['w'],
        torch.zeros(3))


def test_a_failed_pointer_or_overwrite_says_what_still_stands(
        tmp_path, monkeypatch):
    pointer = tmp_path / 'last_checkpoint'
    atomic_write_text(pointer, 'work/iter_2.pth')
    _refuse(monkeypatch, 'fsync', errno.ENOSPC)
    with pytest.raises(FileWriteError,
                       match='it still names work/iter_2.pth, the newest '
                       'complete checkpoint'):
        atomic_write_text(pointer, 'work/iter_4.pth')
    other = tmp_path / 'sub' / 'result.png'
    monkeypatch.undo()
    atomic_write_text(other, 'old')
    _refuse(monkeypatch, 'replace', errno.EROFS)
    with pytest.raises(FileWriteError, match='the old file is kept'):
        atomic_write_text(other, 'new')
    monkeypatch.undo()
    assert other.read_text() == 'old'
    assert pointer.read_text() == 'work/iter_2.pth'


def test_write_error_survives_pickling_for_worker_processes():
    error = FileWriteError(errno.ENOSPC, 'No space left on device', 'x.pth',
                           'Cannot write x.pth: full.')
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.errno, copy.filename, str(copy)) == (errno.ENOSPC, 'x.pth',
                                                      'Cannot write x.pth: '
                                                      'full.')
