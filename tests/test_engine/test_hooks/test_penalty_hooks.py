"""EWC, MAS and PIGWM: each penalty against a hand computation on a linear
model, the online accumulation, and exact resume in a real Runner."""
import json
import os.path as osp

import pytest
import torch
from mmagic.registry import HOOKS
from mmengine.runner import Runner
from nr_toys import LinearRegression, toy_cfg
from test_importance import _batches, _per_sample_grads

from mmderain.apis import enable_amp
from mmderain.engine.hooks import quadratic_penalty_hook
from mmderain.experiments.nr_compare import collect_run_info


class _TermRegression(LinearRegression):
    """The regression toy with the loss terms of a ``DistillEditModel``."""

    def __init__(self):
        super().__init__()
        self.terms = {}

    def set_loss_term(self, name, term):
        self.terms[name] = term

    def remove_loss_term(self, name):
        self.terms.pop(name, None)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        out = super().forward(inputs, data_samples, mode)
        if mode == 'loss':
            out.update({n: t(inputs, None) for n, t in self.terms.items()})
        return out


class _Runner:
    """Just what _push needs."""

    def __init__(self, model):
        self.model = model


def _hand_importance(model, strategy):
    loss_grads, norm_grads = _per_sample_grads(model)
    return {
        'fisher': loss_grads.pow(2).mean(0),
        'mas': norm_grads.abs().mean(0),
        'gradient_magnitude': loss_grads.abs().mean(0),
    }[strategy]


@pytest.mark.parametrize('hook_type, strategy, scale', [
    ('EWCHook', 'fisher', 0.5),
    ('MASHook', 'mas', 1.0),
    ('PIGWMHook', 'gradient_magnitude', 1.0),
])
def test_penalty_matches_hand_computation(hook_type, strategy, scale):
    model = _TermRegression()
    hook = HOOKS.build(dict(type=hook_type, loss_weight=3.0))
    hook.consolidate(model, hook.compute_importance(model, _batches()))
    hook._push(_Runner(model))
    term = model.terms[hook.loss_name]
    assert hook.loss_name == {
        'EWCHook': 'loss_ewc', 'MASHook': 'loss_mas', 'PIGWMHook': 'loss_pigwm'
    }[hook_type]
    omega = _hand_importance(model, strategy)
    anchor = torch.cat([model.w.detach(), model.b.detach().view(1)])

    # Move the weights off the anchor: the penalty is
    # scale * lambda * sum Omega (theta - theta*)^2 (EWC: lambda / 2).
    shift = torch.tensor([0.3, -0.2, 0.1])
    with torch.no_grad():
        model.w += shift[:2]
        model.b += shift[2]
    expected = scale * 3.0 * (omega * shift**2).sum()
    assert term(None, None).item() == pytest.approx(expected.item(),
                                                    rel=1e-5)

    # One SGD step (lr 1) on the penalty follows its gradient
    # 2 * scale * lambda * Omega * (theta - theta*).
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    term(None, None).backward()
    optimizer.step()
    theta = torch.cat([model.w.detach(), model.b.detach().view(1)])
    hand = anchor + shift - 2 * scale * 3.0 * omega * shift
    assert torch.allclose(theta, hand, atol=1e-5)


def test_online_importance_decays_and_sums():
    model = LinearRegression()
    hook = HOOKS.build(dict(type='EWCHook', loss_weight=1.0, gamma=0.5))
    first = _hand_importance(model, 'fisher')
    hook.consolidate(model, hook.compute_importance(model, _batches()))
    with torch.no_grad():
        model.w.mul_(2)
    second = _hand_importance(model, 'fisher')
    hook.consolidate(model, hook.compute_importance(model, _batches()))
    got = torch.cat([hook.importance['w'], hook.importance['b'].view(1)])
    assert torch.allclose(got, 0.5 * first + second)
    # The anchor is the latest weights.
    assert torch.equal(hook.anchors['w'], model.w.detach())


def test_no_penalty_before_the_first_task_end_or_at_weight_zero():
    model = _TermRegression()
    hook = HOOKS.build(dict(type='EWCHook', loss_weight=1.0))
    assert hook.penalty_term(model) is None
    hook.consolidate(model, hook.compute_importance(model, _batches()))
    assert hook.penalty_term(model) is not None
    hook.loss_weight = 0
    model.set_loss_term(hook.loss_name, lambda inputs, feats: 0)
    hook._push(_Runner(model))
    assert model.terms == {}


def test_own_penalty_is_not_in_the_importance_loss(monkeypatch):
    # loss_keys=None: L is every model loss, but not the hook's own term.
    monkeypatch.setattr(quadratic_penalty_hook, 'task_batches',
                        lambda runner, task_idx, num_batches: _batches())
    model, hook = _TermRegression(), HOOKS.build(
        dict(type='EWCHook', loss_weight=100.0))
    runner = _Runner(model)
    first = _hand_importance(model, 'fisher')
    hook.after_task(runner, 0)
    with torch.no_grad():
        model.w.add_(0.5)
    second = _hand_importance(model, 'fisher')
    hook.after_task(runner, 1)
    got = torch.cat([hook.importance['w'], hook.importance['b'].view(1)])
    assert torch.allclose(got, first + second)
    assert set(model.terms) == {'loss_ewc'}


@pytest.mark.parametrize('cfg, match', [
    (dict(type='EWCHook', loss_weight=-1), 'loss_weight'),
    (dict(type='EWCHook', loss_weight=1, gamma=2), 'decay'),
    (dict(type='QuadraticPenaltyHook', loss_weight=1,
          importance='hessian'), 'importance must be one of'),
])
def test_bad_options_fail_clearly(cfg, match):
    with pytest.raises(ValueError, match=match):
        HOOKS.build(cfg)


def _penalty_cfg(work_dir, hook, task_iters=(3, 3, 2)):
    cfg = toy_cfg(work_dir, task_iters=task_iters, nr=False)
    cfg.custom_hooks = [hook, dict(type='StateFootprintHook')]
    return cfg


def test_needs_a_model_that_takes_loss_terms(tmp_path):
    cfg = _penalty_cfg(str(tmp_path), dict(type='MASHook', loss_weight=1.0))
    cfg.model.type = 'BaseEditModel'
    with pytest.raises(TypeError, match="model.type='DistillEditModel'"):
        Runner.from_cfg(cfg).train()


@pytest.mark.parametrize('amp', [False, True])
def test_removed_penalty_wrapper_names_the_new_mechanism(tmp_path, amp):
    cfg = _penalty_cfg(str(tmp_path), dict(type='MASHook', loss_weight=1.0))
    cfg.optim_wrapper.type = 'PenaltyOptimWrapper'
    if amp:
        enable_amp(cfg)
        assert cfg.optim_wrapper.type == 'PenaltyAmpOptimWrapper'
    with pytest.raises(TypeError,
                       match="was removed: .* loss term .*"
                       "model.type='DistillEditModel'"):
        Runner.from_cfg(cfg).train()


@pytest.mark.parametrize('hook', ['PIGWMHook', 'StateFootprintHook'])
def test_refuses_a_loop_without_tasks(tmp_path, hook):
    cfg = _penalty_cfg(str(tmp_path), dict(type='PIGWMHook', loss_weight=1.))
    cfg.custom_hooks = [
        dict(type=hook, loss_weight=1.) if hook == 'PIGWMHook' else
        dict(type=hook)
    ]
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=1)
    with pytest.raises(TypeError, match=f'{hook} acts at task boundaries'):
        Runner.from_cfg(cfg).train()


@pytest.mark.parametrize('hook', [
    dict(type='EWCHook', loss_weight=100.0, loss_keys=['loss_pix']),
    dict(type='MASHook', loss_weight=100.0, per_sample=False),
])
def test_resume_applies_the_same_penalty(tmp_path, hook):
    full = Runner.from_cfg(_penalty_cfg(str(tmp_path / 'full'), hook))
    full.train()
    expected = {k: v.clone() for k, v in full.model.state_dict().items()}
    penalty = next(h for h in full.hooks if h.__class__.__name__ ==
                   hook['type'])
    assert penalty.num_consolidated == 3
    # The penalty is a loss term of the model, logged under its own name.
    assert set(full.model.loss_terms) == {penalty.loss_name}
    assert f'train/{penalty.loss_name}' in full.message_hub.log_scalars
    saved = torch.load(
        str(tmp_path / 'full' / 'task1_toy80.pth'), weights_only=False)
    assert saved[penalty.ckpt_key]['num_consolidated'] == 2

    # The footprint counts importance + anchors: two float32 copies of the
    # network.
    with open(osp.join(str(tmp_path / 'full'), 'extra_state.json')) as f:
        footprint = json.load(f)
    assert footprint['extra_bytes'] == 2 * footprint['model_bytes'] > 0
    # ... and its total is a column of the comparison report.
    info = collect_run_info(['full'], str(tmp_path))['full']
    assert info['extra memory (MiB)'] == round(
        footprint['extra_bytes'] / 2**20, 3)

    cfg = _penalty_cfg(str(tmp_path / 'resumed'), hook)
    cfg.resume = True
    # In the middle of task 1: the penalty of task 0 must be restored.
    cfg.load_from = str(tmp_path / 'full' / 'iter_5.pth')
    resumed = Runner.from_cfg(cfg)
    resumed.train()
    for key, value in resumed.model.state_dict().items():
        assert torch.equal(value, expected[key]), key
