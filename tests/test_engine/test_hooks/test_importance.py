"""The shared importance estimate: each strategy against a hand
computation on a linear model, and Synaptic Consolidation unchanged by the
move into the shared module."""
import pytest
import torch
from nr_toys import REGRESSION_X, REGRESSION_Y, LinearRegression

from mmderain.engine.hooks import SynapticConsolidationHook
from mmderain.engine.hooks.importance import estimate_importance

X, Y = REGRESSION_X[:4], REGRESSION_Y[:4]


def _batches():
    return iter([
        dict(inputs=list(X[:2]), data_samples=list(Y[:2])),
        dict(inputs=list(X[2:]), data_samples=list(Y[2:])),
    ])


def _per_sample_grads(model):
    """d/dtheta of (pred - y)^2 and of pred^2 for every sample."""
    pred = X @ model.w.detach() + model.b.detach()
    residual = pred - Y
    loss_grads = torch.cat([2 * residual[:, None] * X, 2 * residual[:, None]],
                           1)
    norm_grads = torch.cat([2 * pred[:, None] * X, 2 * pred[:, None]], 1)
    return loss_grads, norm_grads


def _as_rows(importance):
    return torch.cat([importance['w'], importance['b'].view(1)])


def test_each_strategy_matches_the_hand_computation():
    model = LinearRegression()
    loss_grads, norm_grads = _per_sample_grads(model)
    hand = {
        'gradient_magnitude': loss_grads.abs().mean(0),
        'fisher': loss_grads.pow(2).mean(0),
        'mas': norm_grads.abs().mean(0),
    }
    for strategy, expected in hand.items():
        got = estimate_importance(model, _batches(), strategy)
        assert torch.allclose(_as_rows(got), expected), strategy


def test_per_batch_differentiates_the_batch_mean():
    model = LinearRegression()
    loss_grads, _ = _per_sample_grads(model)
    # Each batch of two: gradient of the mean = mean of the gradients.
    batch_grads = torch.stack([loss_grads[:2].mean(0), loss_grads[2:].mean(0)])
    got = estimate_importance(model, _batches(), 'fisher', per_sample=False)
    assert torch.allclose(_as_rows(got), batch_grads.pow(2).mean(0))
    # Disagreeing samples cancel: never above the per-sample score.
    per_sample = estimate_importance(model, _batches(), 'fisher')
    assert (_as_rows(got) <= _as_rows(per_sample) + 1e-6).all()


@pytest.mark.parametrize('per_sample, expected', [
    (True, [8.375, 7.3125, 5.625]),
    (False, [6.375, 6.6875, 0.625]),
])
def test_synaptic_consolidation_importance_unchanged_by_the_move(
        per_sample, expected):
    # `expected` was printed by SynapticConsolidationHook.compute_importance
    # before the estimate moved to mmderain/engine/hooks/importance.py.
    hook = SynapticConsolidationHook(per_sample=per_sample)
    got = hook.compute_importance(LinearRegression(), _batches())
    assert _as_rows(got).tolist() == expected


def test_unknown_strategy_and_empty_data_fail_clearly():
    with pytest.raises(ValueError, match="importance must be one of"):
        estimate_importance(LinearRegression(), _batches(), 'hessian')
    with pytest.raises(RuntimeError, match='saw no data'):
        estimate_importance(LinearRegression(), iter([]), 'mas')
