"""Random number generators for rain rendering inside data loaders.

Two needs meet here. Test sets must be reproducible: sample ``i`` must carry
the same rain in every run, in every worker, in every epoch. Training must
never repeat itself: every call should draw new rain, and two dataloader
workers must not draw the same rain.

The global numpy generator is a poor source for the second need: mmengine's
``worker_init_fn`` re-seeds it with the same value each time workers are
re-created (every epoch when ``persistent_workers=False``), so an epoch would
replay the previous epoch's rain. PyTorch's per-worker seed
(``torch.utils.data.get_worker_info().seed``) does not have that flaw: the
DataLoader draws a fresh base seed from the main process's torch generator
every time it is iterated, and adds the worker id.
"""
import itertools
import os
import zlib
from typing import Optional, Union

import numpy as np
import torch

_call_counter = itertools.count()
# Drawn once per process; used when there is no dataloader worker and no
# explicit seed, so main-process training still differs from call to call.
_process_entropy = int.from_bytes(os.urandom(8), 'little')


def name_to_int(name: str) -> int:
    """A stable (process-independent) integer for a string.

    Python's ``hash`` of a string changes between processes, so it cannot
    seed anything that must be reproducible; CRC-32 does not.
    """
    return zlib.crc32(name.encode('utf-8'))


def deterministic_rng(seed: int, *keys: Union[int,
                                              str]) -> np.random.Generator:
    """A generator that depends only on ``seed`` and ``keys``.

    Args:
        seed (int): The base seed.
        *keys (int | str): Further entropy, e.g. a sample index or an image
            name; strings go through :func:`name_to_int`.

    Returns:
        np.random.Generator: The same stream for the same arguments.
    """
    entropy = [int(seed) & 0xFFFFFFFFFFFFFFFF]
    for key in keys:
        entropy.append(name_to_int(key) if isinstance(key, str) else int(key))
    return np.random.default_rng(entropy)


def fresh_rng(seed: Optional[int] = None,
              *keys: Union[int, str]) -> np.random.Generator:
    """A generator that differs between calls, workers and epochs.

    Inside a dataloader worker the stream is keyed by the worker's torch
    seed (new every epoch, distinct per worker); in the main process by the
    given ``seed`` (or entropy drawn once per process). A process-wide call
    counter separates consecutive calls.

    Args:
        seed (int, optional): Seed used in the main process, so a run with
            ``num_workers=0`` is reproducible. Defaults to None.
        *keys (int | str): Further entropy, e.g. the sample index.

    Returns:
        np.random.Generator: A new generator.
    """
    info = torch.utils.data.get_worker_info()
    if info is not None:
        base = info.seed
    elif seed is not None:
        base = seed
    else:
        base = _process_entropy
    return deterministic_rng(base, next(_call_counter), *keys)
