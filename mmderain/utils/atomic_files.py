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
"""
import os
import os.path as osp
import uuid
from pathlib import Path
from typing import Union

from mmengine.fileio import LocalBackend, register_backend


def atomic_write_bytes(path: Union[str, Path], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see the module docstring).

    Args:
        path (str | Path): Target file; its folder is created if needed.
        data (bytes): The complete new content.
    """
    path = str(path)
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    # Opened like any new file (not mkstemp's owner-only mode), so the
    # checkpoint keeps the permissions the umask gives.
    tmp = osp.join(folder,
                   f'.{osp.basename(path)}.{uuid.uuid4().hex[:12]}.part')
    try:
        with open(tmp, 'xb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise


def atomic_write_text(path: Union[str, Path],
                      text: str,
                      encoding: str = 'utf-8') -> None:
    """Write ``text`` to ``path`` atomically (see the module docstring)."""
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
