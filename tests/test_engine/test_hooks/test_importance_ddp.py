"""Every importance strategy gives each of two gloo ranks the importance
of all the data, equal to a single process's."""
import socket

import torch
import torch.distributed as torch_dist
import torch.multiprocessing as mp
from test_importance import X, Y, Linear

from mmderain.engine.hooks.importance import STRATEGIES, estimate_importance

CASES = [(s, True) for s in STRATEGIES] + [('fisher', False)]


def _batches(rows):
    # Batches of one sample, so per-batch and per-sample agree with the
    # single process whatever the split.
    return [dict(inputs=list(X[i:i + 1]), data_samples=list(Y[i:i + 1]))
            for i in rows]


def _worker(rank, port, out):
    torch_dist.init_process_group(
        'gloo', init_method=f'tcp://127.0.0.1:{port}', rank=rank,
        world_size=2)
    # Uneven shards: rank 0 sees 3 samples, rank 1 sees 1.
    rows = [0, 1, 2] if rank == 0 else [3]
    out[rank] = {
        case: estimate_importance(Linear(), iter(_batches(rows)), *case)
        for case in CASES
    }
    torch_dist.destroy_process_group()


def test_each_strategy_agrees_across_ranks():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    out = mp.Manager().dict()
    mp.start_processes(
        _worker, args=(port, out), nprocs=2, start_method='fork')
    for case in CASES:
        expected = estimate_importance(Linear(), iter(_batches(range(4))),
                                       *case)
        for rank in (0, 1):
            for name in expected:
                assert torch.allclose(out[rank][case][name],
                                      expected[name]), (case, rank, name)
