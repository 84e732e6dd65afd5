"""Write files so that a kill mid-write never leaves a half-written one.

A training run killed while saving ``iter_N.pth`` would otherwise leave a
truncated file under the name ``--resume`` picks next. Here every write goes
to a temporary file in the same folder, is flushed to disk, and replaces the
target with ``os.replace`` (atomic on POSIX and Windows): the target is
either the old complete file or the new complete one.

:class:`AtomicLocalBackend` makes mmengine's local file backend (which
``Runner.save_checkpoint`` and ``CheckpointHook`` write through) behave so;
:func:`register_atomic_local_backend` installs it with mmengine's public
``register_backend``.

A write that fails (a full disk, a quota, a read-only or unwritable
folder) raises :class:`FileWriteError`, whose message names the file,
the system's reason and what was kept: the target is unchanged and, in a
work directory, the checkpoint ``last_checkpoint`` names is untouched.
"""
import os
import os.path as osp
import uuid
from pathlib import Path
from typing import Optional, Union

from mmengine.fileio import LocalBackend, register_backend


# The file in a work directory that names its newest complete checkpoint
# (written by mmengine's CheckpointHook and the sequential train loop).
LAST_CHECKPOINT = 'last_checkpoint'


class FileWriteError(OSError):
    """A file could not be written; nothing of it was kept.

    ``errno``, ``strerror`` and ``filename`` are those of the underlying
    ``OSError`` (e.g. ``errno.ENOSPC``), so callers can tell a full disk
    from an unwritable folder; the message also says what was kept.

    Args:
        errno (int, optional): The failed call's error number.
        strerror (str, optional): The system's text for it.
        filename (str): The file that was being written.
        message (str): The whole message.
    """

    def __init__(self, errno: Optional[int], strerror: Optional[str],
                 filename: str, message: str) -> None:
        super().__init__(errno, strerror, filename)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple:
        return type(self), (self.errno, self.strerror, self.filename,
                            self.message)


def _newest_checkpoint(folder: str) -> Optional[str]:
    """What ``folder/last_checkpoint`` names, or None."""
    try:
        with open(osp.join(folder, LAST_CHECKPOINT), encoding='utf-8') as f:
            return f.read().strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def _write_error(path: str, error: OSError) -> FileWriteError:
    """:class:`FileWriteError` for ``path``, saying what was kept."""
    folder = osp.dirname(osp.abspath(path))
    reason = error.strerror or str(error)
    if error.errno is not None:
        reason = f'[Errno {error.errno}] {reason}'
    kept = ('the old file is kept' if osp.exists(path) else
            'no file was created')
    newest = _newest_checkpoint(folder)
    if osp.basename(path) == LAST_CHECKPOINT and newest:
        kept = (f'it still names {newest}, the newest complete checkpoint, '
                'so --resume continues from there')
    elif newest:
        kept += (f'; the newest complete checkpoint, {newest} (named in '
                 f'{osp.join(folder, LAST_CHECKPOINT)}), is untouched and '
                 '--resume continues from it')
    message = (f'Cannot write {path}: {reason}. Nothing of it was written '
               f'({kept}). Free space or fix the folder, then run again.')
    return FileWriteError(error.errno, error.strerror, path, message)


def atomic_write_bytes(path: Union[str, Path], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see the module docstring).

    Args:
        path (str | Path): Target file; its folder is created if needed.
        data (bytes): The complete new content.

    Raises:
        FileWriteError: The write failed (e.g. ``ENOSPC``, ``EDQUOT``,
            ``EROFS``, ``EACCES``); ``path`` is unchanged.
    """
    path = str(path)
    folder = osp.dirname(osp.abspath(path))
    # Opened like any new file (not mkstemp's owner-only mode), so the
    # checkpoint keeps the permissions the umask gives.
    tmp = osp.join(folder,
                   f'.{osp.basename(path)}.{uuid.uuid4().hex[:12]}.part')
    try:
        os.makedirs(folder, exist_ok=True)
        with open(tmp, 'xb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as error:
        try:
            os.remove(tmp)
        except OSError:
            # Never created, or the folder refuses that too: the error
            # that matters is the one being raised.
            pass
        if isinstance(error, OSError):
            raise _write_error(path, error) from error
        raise


def atomic_write_text(path: Union[str, Path],
                      text: str,
                      encoding: str = 'utf-8') -> None:
    """Write ``text`` to ``path`` atomically (see the module docstring).

    Raises:
        FileWriteError: As :func:`atomic_write_bytes`.
    """
    atomic_write_bytes(path, text.encode(encoding))


class AtomicLocalBackend(LocalBackend):
    """mmengine's local backend whose writes are atomic."""

    def put(self, obj: bytes, filepath: Union[str, Path]) -> None:
        """Write bytes to ``filepath`` atomically."""
        atomic_write_bytes(filepath, obj)

    def put_text(self,
                 obj: str,
                 filepath: Union[str, Path],
                 encoding: str = 'utf-8') -> None:
        """Write text to ``filepath`` atomically."""
        atomic_write_text(filepath, obj, encoding)


def register_atomic_local_backend() -> None:
    """Make :class:`AtomicLocalBackend` mmengine's backend for local paths,
    so checkpoints saved by the runner are written atomically."""
    register_backend('local', AtomicLocalBackend, force=True, prefixes='')
