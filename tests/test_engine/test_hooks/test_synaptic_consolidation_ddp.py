"""Under distributed training every rank ends with the same importance
and mask, equal to a single process's on all the data."""
import socket

import torch
import torch.distributed as torch_dist
import torch.multiprocessing as mp
from mmengine.model import BaseModel
from torch import nn

from mmderain.engine.hooks import SynapticConsolidationHook

X = torch.tensor([[1.0, 2.0], [-1.0, 0.5], [3.0, -2.0], [0.5, 0.5],
                  [2.0, 1.0], [-0.5, -1.5]])
Y = torch.tensor([1.0, -2.0, 0.0, 4.0, 1.5, -1.0])


class _Regression(BaseModel):

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.tensor([0.5, -1.0]))
        self.b = nn.Parameter(torch.tensor(0.25))

    def forward(self, inputs, data_samples=None, mode='tensor'):
        pred = torch.stack(list(inputs)) @ self.w + self.b
        return dict(loss=((pred - torch.stack(list(data_samples)))**2).mean())


def _batches(rows):
    return [dict(inputs=list(X[i:i + 1]), data_samples=list(Y[i:i + 1]))
            for i in rows]


def _worker(rank, port, out):
    torch_dist.init_process_group(
        'gloo', init_method=f'tcp://127.0.0.1:{port}', rank=rank,
        world_size=2)
    hook = SynapticConsolidationHook(threshold='global')
    # Uneven shards: rank 0 sees 4 samples, rank 1 sees 2.
    rows = [0, 1, 2, 3] if rank == 0 else [4, 5]
    importance = hook.compute_importance(_Regression(), iter(_batches(rows)))
    hook.consolidate(importance, 0)
    out[rank] = (importance, hook.masks)
    torch_dist.destroy_process_group()


def test_importance_and_masks_agree_across_ranks():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    out = mp.Manager().dict()
    mp.start_processes(
        _worker, args=(port, out), nprocs=2, start_method='fork')

    single = SynapticConsolidationHook(threshold='global')
    expected = single.compute_importance(_Regression(),
                                         iter(_batches(range(6))))
    single.consolidate(expected, 0)
    for rank in (0, 1):
        importance, masks = out[rank]
        for name in expected:
            assert torch.allclose(importance[name], expected[name])
            assert torch.equal(masks[name], single.masks[name])
