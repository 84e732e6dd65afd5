"""Loading mmengine checkpoints with ``torch.load(weights_only=True)``.

torch >= 2.6 unpickles checkpoints with ``weights_only=True`` by default and
rejects any class it does not know. mmengine 0.10.7 checkpoints carry its
message hub (``HistoryBuffer`` objects holding numpy arrays) in their ``meta``,
so resuming fails with "Unsupported global". Instead of turning
``weights_only`` off (a checkpoint is a pickle, and pickles run code), the
exact classes such checkpoints contain are allow-listed.

``HistoryBuffer`` pickles its statistics methods as
``getattr(HistoryBuffer, 'mean')``, so ``getattr`` is on the list too. The
weights-only unpickler still refuses to call anything that is not
allow-listed, so ``getattr`` can only hand back attributes of the allowed
classes; it does not open the door to arbitrary code.

Every checkpoint this package reads goes through :func:`load_checkpoint_file`,
which turns a refusal into one message naming the file and the reason. It is
also registered as mmengine's loader for local paths
(:func:`register_checkpoint_loader`), so ``resume``, ``load_from``,
``Runner.load_checkpoint`` and ``mmengine.runner.load_checkpoint`` (used by
``tools/test.py``, ``tools/derain.py`` and :mod:`mmderain.apis`) refuse the
same way.
"""
import os.path as osp
import pickle
from typing import Any, List, Optional, Union

import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner import CheckpointLoader


class CheckpointRefusedError(RuntimeError):
    """A checkpoint file was refused: unsafe, unreadable or missing."""


def checkpoint_safe_globals() -> List[object]:
    """The classes and functions an mmengine training checkpoint needs."""
    numpy_dtypes = [
        type(np.dtype(t)) for t in (np.float16, np.float32, np.float64,
                                    np.int8, np.int16, np.int32, np.int64,
                                    np.uint8, np.bool_)
    ]
    return [
        HistoryBuffer,
        getattr,
        np.ndarray,
        np.dtype,
        # numpy pickles arrays through this function: the allow-list must
        # name the very object, so there is no public spelling of it.
        np.core.multiarray._reconstruct,
        np.core.multiarray.scalar,
        *numpy_dtypes,
    ]


def register_checkpoint_safe_globals() -> None:
    """Allow-list :func:`checkpoint_safe_globals` for ``torch.load``."""
    torch.serialization.add_safe_globals(checkpoint_safe_globals())


def _unpickling_reason(err: Exception) -> str:
    """The line of torch's weights-only error that names the refused
    global (its other lines advise turning the protection off)."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    for line in lines:
        if 'GLOBAL' in line or 'global' in line:
            return line
    return lines[-1] if lines else type(err).__name__


def load_checkpoint_file(path: str,
                         map_location: Union[str, torch.device, None] = 'cpu'
                         ) -> Any:
    """Load a checkpoint with ``torch.load(weights_only=True)``.

    Args:
        path (str): The checkpoint file.
        map_location (str | torch.device, optional): As in ``torch.load``.
            Defaults to ``'cpu'``.

    Returns:
        Any: The unpickled checkpoint (usually a dict).

    Raises:
        CheckpointRefusedError: If the file is missing, is not a PyTorch
            checkpoint (e.g. truncated), or its pickle needs a function or
            class outside the allow-list (:func:`checkpoint_safe_globals`),
            which could run code; the message names the file and the reason.
    """
    path = osp.expanduser(str(path))
    if not osp.isfile(path):
        raise CheckpointRefusedError(
            f'Checkpoint file "{path}" does not exist.')
    try:
        return torch.load(path, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as err:
        raise CheckpointRefusedError(
            f'Refused to load checkpoint "{path}": its pickle asks for '
            'something that is not plain weights or training metadata '
            f'({_unpickling_reason(err)}); unpickling it could run code. '
            'Only load it with torch.load(weights_only=False) if you trust '
            'its source.') from None
    except (RuntimeError, EOFError, OSError, ValueError) as err:
        raise CheckpointRefusedError(
            f'Cannot read checkpoint "{path}": it is not a complete PyTorch '
            f'checkpoint (truncated or another kind of file): {err}') from None


def _load_local(filename: str,
                map_location: Optional[Union[str, torch.device]] = None
                ) -> Any:
    return load_checkpoint_file(filename, map_location=map_location)


def register_checkpoint_loader() -> None:
    """Make :func:`load_checkpoint_file` mmengine's loader of local paths
    (URL schemes such as ``https://`` keep their own loaders)."""
    CheckpointLoader.register_scheme(
        prefixes='', loader=_load_local, force=True)
