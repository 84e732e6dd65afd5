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
"""
from typing import List

import numpy as np
import torch
from mmengine.logging import HistoryBuffer


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
        np.core.multiarray._reconstruct,
        np.core.multiarray.scalar,
        *numpy_dtypes,
    ]


def register_checkpoint_safe_globals() -> None:
    """Allow-list :func:`checkpoint_safe_globals` for ``torch.load``."""
    torch.serialization.add_safe_globals(checkpoint_safe_globals())
