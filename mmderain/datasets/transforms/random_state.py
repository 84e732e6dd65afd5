"""Random number generators for rain rendering inside data loaders.

Two needs meet here. Test sets must be reproducible: sample ``i`` must carry
the same rain in every run, in every worker, in every epoch. Training must
never repeat itself (every call draws new rain, two dataloader workers never
draw the same rain), yet a run resumed from a checkpoint must draw exactly
the rain of the uninterrupted run.

The global numpy generator is a poor source for the training stream:
mmengine's ``worker_init_fn`` re-seeds it with the same value each time
workers are re-created (every epoch when ``persistent_workers=False``), so an
epoch would replay the previous epoch's rain. Instead a training draw is
keyed on

- the stream key set by :func:`restart_training_streams` (the training loop
  calls it with its own seed at every task start and end); with no such
  loop, 0 when the caller gives a seed (the dataset's), else entropy drawn
  once per process;
- inside a dataloader worker, the worker's torch seed
  (``torch.utils.data.get_worker_info().seed``): the DataLoader draws a new
  base seed from its generator every time it is iterated and adds the worker
  id, so workers and epochs differ, and a loop that seeds that generator
  makes them repeat;
- the sample index, and how many times the same sample was drawn since the
  stream was restarted (or since the worker process started).

A resumed run restarts the stream where the uninterrupted run did and
replays the skipped batches, so every count, and therefore every sample,
repeats exactly. Counting per sample rather than per process also makes the
rain independent of how samples are split over processes: a sample drawn
for the k-th time gets the same rain whether one process or one of several
distributed ranks draws it (without dataloader workers, whose seeds differ).
"""
import os
import zlib
from typing import Optional, Union

import numpy as np
import torch

_MASK_64 = 0xFFFFFFFFFFFFFFFF
# Drawn once per process; the stream key until a training loop sets one, so
# that training outside such a loop still differs from run to run.
_process_entropy = int.from_bytes(os.urandom(8), 'little')
# The stream key, the number of draws of each (seed, keys) since it was set,
# and the process that counted them: a dataloader worker forked from the
# main process inherits the counts of its parent and must start its own.
_stream: dict = dict(key=None, counts={}, pid=os.getpid())


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
    entropy = [int(seed) & _MASK_64]
    for key in keys:
        entropy.append(name_to_int(key) if isinstance(key, str) else int(key))
    return np.random.default_rng(entropy)


def restart_training_streams(key: int) -> None:
    """Restart the training streams of :func:`fresh_rng` at ``key``.

    Called by the training loop whenever it re-seeds the global generators,
    before any dataloader of the new stretch is iterated (workers are forked
    afterwards and inherit the key).

    Args:
        key (int): The new stream key, e.g. ``seed + task_idx``.
    """
    _stream.update(key=int(key), counts={}, pid=os.getpid())


def fresh_rng(seed: Optional[int] = None,
              *keys: Union[int, str]) -> np.random.Generator:
    """A generator that differs between calls, workers and epochs.

    The stream is keyed as described in this module's docstring: stream key,
    worker seed (inside a dataloader worker), ``seed``, ``keys`` and the
    number of earlier draws with the same ``seed`` and ``keys`` counted in
    this process since the stream restarted.

    Args:
        seed (int, optional): The dataset's seed, so that two datasets of
            one run draw different rain. Defaults to None.
        *keys (int | str): Further entropy, e.g. the sample index.

    Returns:
        np.random.Generator: A new generator.
    """
    pid = os.getpid()
    if _stream['pid'] != pid:
        _stream.update(counts={}, pid=pid)
    counts = _stream['counts']
    count = counts.get((seed, keys), 0)
    counts[(seed, keys)] = count + 1
    key = _stream['key']
    if key is None:
        # No loop restarts the streams: a dataset seed still makes the run
        # repeat (e.g. a seeded demo); without one every process differs.
        key = _process_entropy if seed is None else 0
    info = torch.utils.data.get_worker_info()
    # 0 marks "absent", so that absent never equals a real value.
    worker_part = 0 if info is None else (info.seed & _MASK_64) + 1
    seed_part = 0 if seed is None else (int(seed) & _MASK_64) + 1
    return deterministic_rng(key, worker_part, seed_part, count, *keys)
