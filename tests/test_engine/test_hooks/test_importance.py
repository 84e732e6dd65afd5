"""The shared importance estimate: each strategy against a hand
computation on a linear model, and Synaptic Consolidation unchanged by the
move into the shared module."""
import pytest
import torch
from mmengine.model import BaseModel
from torch import nn

from mmderain.engine.hooks import SynapticConsolidationHook
from mmderain.engine.hooks.importance import estimate_importance

X = torch.tensor([[1.0, 2.0], [-1.0, 0.5], [3.0, -2.0], [0.5, 0.5]])
Y = torch.tensor([1.0, -2.0, 0.0, 4.0])


class Linear(BaseModel):
    """pred = x.w + b, squared loss; gradients known in closed form."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.tensor([0.5, -1.0]))
        self.b = nn.Parameter(torch.tensor(0.25))

    def forward(self, inputs, data_samples=None, mode='tensor'):
        pred = torch.stack(list(inputs)) @ self.w + self.b
        if mode == 'tensor':
            return pred
        return dict(loss=((pred - torch.stack(list(data_samples)))**2).mean())


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
    model = Linear()
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
    model = Linear()
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
    got = hook.compute_importance(Linear(), _batches())
    assert _as_rows(got).tolist() == expected


def test_unknown_strategy_and_empty_data_fail_clearly():
    with pytest.raises(ValueError, match="importance must be one of"):
        estimate_importance(Linear(), _batches(), 'hessian')
    with pytest.raises(RuntimeError, match='saw no data'):
        estimate_importance(Linear(), iter([]), 'mas')
