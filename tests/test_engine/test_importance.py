"""The shared importance estimate: each strategy against a hand
computation on a linear model, and Synaptic Consolidation unchanged by the
move into the shared module."""
import logging
from types import SimpleNamespace

import pytest
import torch
from mmengine.logging import MMLogger
from nr_toys import REGRESSION_X, REGRESSION_Y, LinearRegression
from torch.utils.data import DataLoader

from mmderain.engine.hooks import SynapticConsolidationHook
from mmderain.engine import importance as importance_module
from mmderain.engine.importance import (estimate_importance, task_batches)

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
    # before the estimate moved to mmderain/engine/importance.py.
    hook = SynapticConsolidationHook(per_sample=per_sample)
    got = hook.compute_importance(LinearRegression(), _batches())
    assert _as_rows(got).tolist() == expected


def test_unknown_strategy_and_empty_data_fail_clearly():
    with pytest.raises(ValueError, match="importance must be one of"):
        estimate_importance(LinearRegression(), _batches(), 'hessian')
    with pytest.raises(RuntimeError, match='saw no data'):
        estimate_importance(LinearRegression(), iter([]), 'mas')


class _Lines(logging.Handler):
    """Collects the messages an MMLogger emits."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.fixture
def log_lines():
    # print_log(logger='current') writes to the newest MMLogger instance.
    logger = MMLogger.get_instance('test_importance_progress')
    handler = _Lines()
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


class _Clock:
    """time.monotonic that advances 20 s on every reading."""

    def __init__(self):
        self.now = 0.

    def monotonic(self):
        self.now += 20.
        return self.now - 20.


def _four_batches():
    return [
        dict(inputs=list(X[i:i + 2]), data_samples=list(Y[i:i + 2]))
        for i in (0, 2, 0, 2)
    ]


def test_the_pass_logs_progress_at_most_every_interval_and_at_the_end(
        log_lines, monkeypatch):
    monkeypatch.setattr(importance_module, 'time', _Clock())
    estimate_importance(LinearRegression(), _four_batches(), owner='EWCHook')
    # Readings 20, 40, 60, 80 s after the start: a line at 40 and 80 s.
    assert log_lines == [
        'EWCHook: importance pass, batch 2/4 (4 samples), 40 s, about 40 s '
        'left',
        'EWCHook: importance pass, batch 4/4 (8 samples), 80 s',
        'EWCHook: importance pass done, 4 batches (8 samples) in 100.0 s',
    ]


def test_progress_without_a_length_and_only_on_rank_0(log_lines,
                                                      monkeypatch):
    estimate_importance(LinearRegression(), _batches(), log_interval=0)
    assert [line.split(', ')[1] for line in log_lines[:2]] == [
        'batch 1 (2 samples)', 'batch 2 (4 samples)'
    ]
    assert len(log_lines) == 3
    assert log_lines[-1].startswith(
        'importance: importance pass done, 2 batches (4 samples) in ')
    log_lines.clear()
    monkeypatch.setattr(importance_module, 'get_rank', lambda: 1)
    estimate_importance(LinearRegression(), _batches(), log_interval=0)
    assert log_lines == []


def test_task_batches_know_their_number(monkeypatch):
    loader = DataLoader(list(range(5)), batch_size=2)
    runner = SimpleNamespace(train_loop=SimpleNamespace(dataloaders=[loader]))
    assert len(task_batches(runner, 0)) == 3
    first = task_batches(runner, 0, num_batches=2)
    assert len(first) == 2
    assert [b.tolist() for b in first] == [[0, 1], [2, 3]]
    assert len(task_batches(runner, 0, num_batches=9)) == 3
