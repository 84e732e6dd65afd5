"""Every importance strategy gives each of two gloo ranks the importance
of all the data, equal to a single process's."""
import pytest
import torch
from gloo_ranks import run_on_two_ranks
from nr_toys import LinearRegression, regression_batches

from mmderain.engine.importance import STRATEGIES, estimate_importance

pytestmark = pytest.mark.e2e

CASES = [(s, True) for s in STRATEGIES] + [('fisher', False)]


def _estimate_shard(rank):
    # Uneven shards: rank 0 sees 3 samples, rank 1 sees 1. Batches of one
    # sample, so per-batch and per-sample agree with the single process
    # whatever the split.
    rows = [0, 1, 2] if rank == 0 else [3]
    return {
        case: estimate_importance(LinearRegression(),
                                  iter(regression_batches(rows)), *case)
        for case in CASES
    }


def test_each_strategy_agrees_across_ranks():
    out = run_on_two_ranks(_estimate_shard)
    for case in CASES:
        expected = estimate_importance(LinearRegression(),
                                       iter(regression_batches(range(4))),
                                       *case)
        for rank in (0, 1):
            for name in expected:
                assert torch.allclose(out[rank][case][name],
                                      expected[name]), (case, rank, name)
