"""Under distributed training every rank ends with the same importance
and mask, equal to a single process's on all the data."""
import pytest
import torch
from gloo_ranks import run_on_two_ranks
from nr_toys import LinearRegression, regression_batches

from mmderain.engine.hooks import SynapticConsolidationHook

pytestmark = pytest.mark.e2e


def _consolidate_shard(rank):
    hook = SynapticConsolidationHook(threshold='global')
    # Uneven shards: rank 0 sees 4 samples, rank 1 sees 2.
    rows = [0, 1, 2, 3] if rank == 0 else [4, 5]
    importance = hook.compute_importance(LinearRegression(),
                                         iter(regression_batches(rows)))
    hook.consolidate(importance, 0)
    return importance, hook.masks


def test_importance_and_masks_agree_across_ranks():
    out = run_on_two_ranks(_consolidate_shard)

    single = SynapticConsolidationHook(threshold='global')
    expected = single.compute_importance(LinearRegression(),
                                         iter(regression_batches(range(6))))
    single.consolidate(expected, 0)
    for rank in (0, 1):
        importance, masks = out[rank]
        for name in expected:
            assert torch.allclose(importance[name], expected[name])
            assert torch.equal(masks[name], single.masks[name])
