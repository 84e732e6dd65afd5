import os

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from mmderain.datasets.transforms import random_state
from mmderain.datasets.transforms.random_state import (
    deterministic_rng, fresh_rng, name_to_int, restart_training_streams)


def test_deterministic_rng_depends_only_on_its_arguments():
    a = deterministic_rng(7, 3, 'key').random(4)
    np.testing.assert_array_equal(a, deterministic_rng(7, 3, 'key').random(4))
    assert not np.array_equal(a, deterministic_rng(7, 4, 'key').random(4))
    assert not np.array_equal(a, deterministic_rng(8, 3, 'key').random(4))
    # Stable across processes (unlike hash()): CRC-32 of 'abc'.
    assert name_to_int('abc') == 891568578


def test_fresh_rng_differs_between_calls_even_with_a_seed():
    assert fresh_rng(0, 1).random() != fresh_rng(0, 1).random()


def _draws(count):
    return [fresh_rng(5, index).random() for index in range(count)]


def test_restarting_the_stream_repeats_the_draws():
    restart_training_streams(11)
    first = _draws(3)
    assert len(set(first)) == 3
    restart_training_streams(11)
    assert _draws(3) == first
    restart_training_streams(12)
    assert _draws(3) != first


class _FreshDraws(Dataset):

    def __len__(self):
        return 4

    def __getitem__(self, index):
        return torch.tensor(fresh_rng(5, index).random())


def _worker_draws(seed):
    loader = DataLoader(
        _FreshDraws(),
        batch_size=1,
        num_workers=2,
        generator=torch.Generator().manual_seed(seed))
    return [float(x) for epoch in range(2) for x in loader]


def test_workers_repeat_with_the_loader_generator_and_differ_by_epoch():
    # The main process's own count must not leak into forked workers.
    restart_training_streams(3)
    first = _worker_draws(0)
    _draws(5)
    assert _worker_draws(0) == first
    assert len(set(first)) == len(first)
    assert _worker_draws(1) != first


def test_a_samples_kth_draw_does_not_depend_on_other_samples():
    # What lets one process and several ranks, which split the samples
    # differently, render the same rain.
    restart_training_streams(4)
    together = [fresh_rng(5, i).random() for i in (0, 1, 0, 1)]
    restart_training_streams(4)
    zeros = [fresh_rng(5, 0).random() for _ in range(2)]
    restart_training_streams(4)
    ones = [fresh_rng(5, 1).random() for _ in range(2)]
    assert together == [zeros[0], ones[0], zeros[1], ones[1]]


def test_without_a_loop_a_seed_makes_runs_repeat(monkeypatch):
    draws = []
    for entropy in (1, 2):
        # A fresh process: no stream key, no counts, its own entropy.
        monkeypatch.setattr(random_state, '_stream',
                            dict(key=None, counts={}, pid=os.getpid()))
        monkeypatch.setattr(random_state, '_process_entropy', entropy)
        draws.append((fresh_rng(5, 0).random(), fresh_rng(None, 0).random()))
    assert draws[0][0] == draws[1][0]
    assert draws[0][1] != draws[1][1]
