from unittest import mock

import pytest
import torch
from mmagic.registry import OPTIM_WRAPPERS
from mmengine.optim import OptimWrapper
from torch import nn

from mmderain.engine.optimizers import (MaskedAmpOptimWrapper,
                                        MaskedOptimWrapper)
from mmderain.engine.optimizers.masked_optim_wrapper import FrozenMaskMixin


def _model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 2))


def _masks(model):
    gen = torch.Generator().manual_seed(1)
    return [(p, torch.rand(p.shape, generator=gen) < 0.5)
            for p in model.parameters()]


def _train(wrapper, model, steps, seed=2):
    gen = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        x = torch.randn(4, 6, generator=gen)
        loss = model(x).pow(2).mean() + model(x).sum()
        wrapper.update_params(loss)


@pytest.mark.parametrize('optimizer', [
    dict(type='Adam', lr=0.05, weight_decay=0.1),
    dict(type='AdamW', lr=0.05, weight_decay=0.5),
    dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=0.1),
])
def test_masked_elements_stay_bit_identical(optimizer):
    model = _model()
    wrapper = OPTIM_WRAPPERS.build(
        dict(
            type='MaskedOptimWrapper',
            optimizer=torch.optim.__dict__[optimizer.pop('type')](
                model.parameters(), **optimizer),
            clip_grad=dict(max_norm=1.0)))
    # Build momentum before freezing, so it would move frozen elements.
    _train(wrapper, model, 5, seed=7)
    masks = _masks(model)
    wrapper.set_frozen_masks(masks)
    before = [p.detach().clone() for p in model.parameters()]
    _train(wrapper, model, 60)
    for (param, mask), old in zip(masks, before):
        assert torch.equal(param[mask], old[mask])
        assert not torch.equal(param[~mask], old[~mask])
    assert wrapper.num_frozen == sum(int(m.sum()) for _, m in masks)


@pytest.mark.parametrize('masks', [None, []])
def test_without_masks_it_steps_as_optim_wrapper(masks):
    # Every method of a task sequence trains with MaskedOptimWrapper.
    models = [_model(), _model()]
    wrappers = [
        cls(
            torch.optim.AdamW(model.parameters(), lr=0.05, weight_decay=0.5),
            clip_grad=dict(max_norm=1.0))
        for cls, model in zip((MaskedOptimWrapper, OptimWrapper), models)
    ]
    if masks is not None:
        wrappers[0].set_frozen_masks(masks)
    for wrapper, model in zip(wrappers, models):
        _train(wrapper, model, 20)
    for ours, theirs in zip(*(model.parameters() for model in models)):
        assert torch.equal(ours, theirs)
    assert not torch.equal(next(models[0].parameters()),
                           next(_model().parameters()))
    ours, theirs = (w.state_dict() for w in wrappers)
    assert ours.pop('frozen_masks') == []
    for key, state in theirs['state'].items():
        for name, value in state.items():
            assert torch.equal(ours['state'][key][name], value), name


def test_state_dict_round_trip_keeps_masks():
    model = _model()
    wrapper = MaskedOptimWrapper(torch.optim.Adam(model.parameters(), lr=0.1))
    masks = _masks(model)
    wrapper.set_frozen_masks(masks)
    _train(wrapper, model, 3)
    state = wrapper.state_dict()
    assert 'frozen_masks' in state

    fresh = MaskedOptimWrapper(torch.optim.Adam(model.parameters(), lr=0.1))
    fresh.load_state_dict(state)
    assert fresh.num_frozen == wrapper.num_frozen
    before = [p.detach().clone() for p in model.parameters()]
    _train(fresh, model, 10)
    for (param, mask), old in zip(masks, before):
        assert torch.equal(param[mask], old[mask])


def test_rejects_foreign_parameters_and_bad_masks():
    model = _model()
    wrapper = MaskedOptimWrapper(torch.optim.Adam(model.parameters()))
    stranger = nn.Parameter(torch.zeros(3))
    with pytest.raises(ValueError, match='does not update'):
        wrapper.set_frozen_masks([(stranger, torch.ones(3, dtype=bool))])
    param = next(model.parameters())
    with pytest.raises(ValueError, match='bool tensor'):
        wrapper.set_frozen_masks([(param, torch.ones(param.shape))])


def test_amp_wrapper_runs_the_same_mask_code():
    # AmpOptimWrapper asserts a GPU; on the CPU the grad scaler disables
    # itself, so the wrapper's own step path still runs.
    assert MaskedAmpOptimWrapper.step is FrozenMaskMixin.step
    assert MaskedOptimWrapper.amp_type == 'MaskedAmpOptimWrapper'
    model = _model()
    target = 'mmengine.optim.optimizer.amp_optimizer_wrapper.is_cuda_available'
    with mock.patch(target, return_value=True), pytest.warns(UserWarning):
        wrapper = MaskedAmpOptimWrapper(
            optimizer=torch.optim.AdamW(
                model.parameters(), lr=0.05, weight_decay=0.5))
    masks = _masks(model)
    wrapper.set_frozen_masks(masks)
    before = [p.detach().clone() for p in model.parameters()]
    _train(wrapper, model, 20)
    for (param, mask), old in zip(masks, before):
        assert torch.equal(param[mask], old[mask])
        assert not torch.equal(param[~mask], old[~mask])
    assert 'loss_scaler' in wrapper.state_dict()
    assert 'frozen_masks' in wrapper.state_dict()
