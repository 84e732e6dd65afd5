"""Under distributed training every rank ends with the same importance
and mask, equal to a single process's on all the data."""
import torch
from gloo_ranks import run_on_two_ranks
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


def _consolidate_shard(rank):
    hook = SynapticConsolidationHook(threshold='global')
    # Uneven shards: rank 0 sees 4 samples, rank 1 sees 2.
    rows = [0, 1, 2, 3] if rank == 0 else [4, 5]
    importance = hook.compute_importance(_Regression(), iter(_batches(rows)))
    hook.consolidate(importance, 0)
    return importance, hook.masks


def test_importance_and_masks_agree_across_ranks():
    out = run_on_two_ranks(_consolidate_shard)

    single = SynapticConsolidationHook(threshold='global')
    expected = single.compute_importance(_Regression(),
                                         iter(_batches(range(6))))
    single.consolidate(expected, 0)
    for rank in (0, 1):
        importance, masks = out[rank]
        for name in expected:
            assert torch.allclose(importance[name], expected[name])
            assert torch.equal(masks[name], single.masks[name])
