import logging
import math

import pytest
import torch
from mmagic.registry import HOOKS
from mmengine.runner import Runner
from nr_toys import REGRESSION_X, REGRESSION_Y, LinearRegression, toy_cfg

from mmderain.engine.hooks.synaptic_consolidation_hook import (
    SynapticConsolidationHook, dual_exponent_alpha_s, dual_exponent_fraction,
    select_top_fraction)


def test_alpha_s_and_fractions_match_hand_values():
    # Eq. 6 with the paper's constants.
    alpha_s = dual_exponent_alpha_s(0.008, 1, 10)
    hand = (1 - 0.008 / (1 - math.exp(-0.1))) * (1 - math.exp(-1))
    assert alpha_s == pytest.approx(hand, abs=1e-12)
    # The paper quotes 0.5789: Eq. 6 gives 0.578980..., truncated.
    assert math.floor(alpha_s * 1e4) / 1e4 == 0.5789
    # Eq. 2: P(0) = alpha_s + alpha_l, P(1) = alpha_s/e + alpha_l e^-0.1.
    assert dual_exponent_fraction(0, 0.008, 1, 10) == pytest.approx(
        hand + 0.008, abs=1e-12)
    assert dual_exponent_fraction(1, 0.008, 1, 10) == pytest.approx(
        hand * math.exp(-1) + 0.008 * math.exp(-0.1), abs=1e-12)
    # Eq. 3: the shares sum to one.
    total = sum(dual_exponent_fraction(n, 0.008, 1, 10) for n in range(500))
    assert total == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize('kwargs, option', [
    (dict(tau_s=10, tau_l=1), 'tau_l > tau_s'),
    (dict(tau_s=0, tau_l=10), 'tau_s > 0'),
    (dict(alpha_l=0.5), 'alpha_s'),
    (dict(alpha_l=-0.1), 'alpha_l >= 0'),
])
def test_broken_schedule_constants_fail_clearly(kwargs, option):
    with pytest.raises(ValueError, match=option):
        HOOKS.build(dict(type='SynapticConsolidationHook', **kwargs))


def test_broken_constants_in_a_config_fail_at_runner_build(tmp_path):
    cfg = toy_cfg(str(tmp_path))
    cfg.custom_hooks[0].update(tau_s=10, tau_l=1)
    with pytest.raises(ValueError, match='tau_l > tau_s'):
        Runner.from_cfg(cfg)


def _hand_grads(model, x, y):
    residual = x @ model.w.detach() + model.b.detach() - y
    return 2 * residual[:, None] * x, 2 * residual


def test_importance_is_mean_abs_gradient():
    model = LinearRegression()
    x, y = REGRESSION_X[:4], REGRESSION_Y[:4]
    batches = [
        dict(inputs=list(x[:2]), data_samples=list(y[:2])),
        dict(inputs=list(x[2:]), data_samples=list(y[2:])),
    ]
    grad_w, grad_b = _hand_grads(model, x, y)

    hook = SynapticConsolidationHook()
    importance = hook.compute_importance(model, iter(batches))
    assert torch.allclose(importance['w'], grad_w.abs().mean(0))
    assert torch.allclose(importance['b'], grad_b.abs().mean())

    batch_hook = SynapticConsolidationHook(per_sample=False)
    importance = batch_hook.compute_importance(model, iter(batches))
    per_batch_w = [grad_w[:2].mean(0).abs(), grad_w[2:].mean(0).abs()]
    assert torch.allclose(importance['w'], sum(per_batch_w) / 2)
    assert model.w.grad is None  # autograd.grad leaves .grad alone


def _random_importance(seed):
    gen = torch.Generator().manual_seed(seed)
    return {
        'a.weight': torch.rand(7, 5, generator=gen),
        'a.bias': torch.rand(5, generator=gen),
        'b.weight': torch.rand(3, 3, 4, generator=gen),
    }


@pytest.mark.parametrize('threshold', ['global', 'per_tensor'])
def test_selection_holds_the_fraction(threshold):
    importance = _random_importance(0)
    total = sum(v.numel() for v in importance.values())
    for n in range(4):
        fraction = dual_exponent_fraction(n, 0.008, 1, 10)
        selected = select_top_fraction(importance, fraction, threshold)
        if threshold == 'global':
            assert sum(int(m.sum())
                       for m in selected.values()) == int(fraction * total)
            chosen = torch.cat([importance[k][m] for k, m in selected.items()])
            rest = torch.cat([importance[k][~m] for k, m in selected.items()])
            assert chosen.min() > rest.max()
        else:
            for name, mask in selected.items():
                assert int(mask.sum()) == int(fraction * mask.numel())


@pytest.mark.parametrize('threshold', ['global', 'per_tensor'])
def test_union_and_free_rank_modes(threshold):
    params = _random_importance(0)
    total = sum(v.numel() for v in params.values())
    union = SynapticConsolidationHook(threshold=threshold)
    free = SynapticConsolidationHook(
        threshold=threshold, rank_free_only=True)
    previous = 0.0
    share = 0.0
    for n in range(4):
        importance = _random_importance(n)
        selected = union.consolidate(importance, n)
        # Every task's own selection holds P(n) of the ranked parameters.
        expected = int(union.fraction(n) * total) if threshold == 'global' \
            else sum(int(union.fraction(n) * v.numel())
                     for v in importance.values())
        assert sum(int(m.sum()) for m in selected.values()) == expected
        assert union.protected_fraction >= previous
        previous = union.protected_fraction

        free.consolidate(importance, n)
        share += free.fraction(n)
        protected = sum(int(m.sum()) for m in free.masks.values())
        if threshold == 'global':
            assert protected == int(share * total)
        else:
            assert protected == sum(
                int(share * v.numel()) for v in importance.values())
    # Free ranking protects the full shares; the union protects less.
    assert free.protected_fraction > union.protected_fraction


def test_warns_when_only_parameters_without_gradient_are_left(monkeypatch):
    # 30% of the elements have no gradient on the task (dead units).
    importance = _random_importance(0)
    for value in importance.values():
        value.view(-1)[:int(0.3 * value.numel())] = 0
    total = sum(v.numel() for v in importance.values())
    dead = sum(int((v == 0).sum()) for v in importance.values())
    logged = []
    monkeypatch.setattr(
        'mmderain.engine.hooks.synaptic_consolidation_hook.print_log',
        lambda msg, **kwargs: logged.append((msg, kwargs.get('level'))))

    free = SynapticConsolidationHook(rank_free_only=True)
    free.consolidate(importance, 0)
    # P(0) = 0.587 < 0.7: live parameters remain free, no warning.
    assert free.free_parameters(importance) == (
        total - int(free.fraction(0) * total),
        total - int(free.fraction(0) * total) - dead)
    assert logged == []
    free.consolidate(importance, 1)
    # P(0) + P(1) = 0.807 > 0.7: only the dead ones are left.
    assert free.free_parameters(importance)[1] == 0
    assert len(logged) == 1
    message, level = logged[0]
    assert level == logging.WARNING
    assert 'after task 1' in message and 'rank_free_only' in message
    assert f'{free.free_parameters(importance)[0]} free' in message

    union = SynapticConsolidationHook()
    for n in range(2):
        union.consolidate(importance, n)
    assert union.free_parameters(importance)[1] > 0
    assert len(logged) == 1


def test_masks_round_trip_through_checkpoint():
    hook = SynapticConsolidationHook()
    hook.consolidate(_random_importance(1), 0)
    hook.num_consolidated = 1
    checkpoint = {}
    hook.before_save_checkpoint(None, checkpoint)

    class NoWrapperRunner:
        optim_wrapper = None

    restored = SynapticConsolidationHook()
    restored.after_load_checkpoint(NoWrapperRunner(), checkpoint)
    assert restored.num_consolidated == 1
    for name, mask in hook.masks.items():
        assert torch.equal(restored.masks[name], mask)
        assert torch.equal(restored.importance[name], hook.importance[name])


def test_needs_a_masked_optimizer_wrapper(tmp_path):
    cfg = toy_cfg(str(tmp_path))
    cfg.optim_wrapper.type = 'OptimWrapper'
    with pytest.raises(TypeError, match='MaskedOptimWrapper'):
        Runner.from_cfg(cfg).train()
