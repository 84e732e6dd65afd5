import pytest
import torch
from mmengine.logging import MessageHub
from mmengine.optim import OptimWrapper

from mmagic.registry import PARAM_SCHEDULERS
from mmderain.engine.schedulers import LossPlateauLR


def two_group_wrapper():
    encoder, decoder = torch.nn.Linear(2, 2), torch.nn.Linear(2, 2)
    optimizer = torch.optim.Adam([
        dict(params=encoder.parameters(), lr=4e-5),
        dict(params=decoder.parameters(), lr=4e-4)
    ])
    return OptimWrapper(optimizer)


def run(scheduler, losses, hub):
    for value in losses:
        hub.update_scalar('train/loss', value)
        scheduler.step()


def test_halves_both_rates_when_the_loss_stalls():
    hub = MessageHub.get_instance('test_loss_plateau_stall')
    wrapper = two_group_wrapper()
    scheduler = PARAM_SCHEDULERS.build(
        dict(type='LossPlateauLR', interval=2, patience=1),
        default_args=dict(optimizer=wrapper))
    assert isinstance(scheduler, LossPlateauLR) and not scheduler.by_epoch
    run(scheduler, [1.0, 1.0, 1.0, 1.0], hub)  # best, then 1 bad check
    assert [g['lr'] for g in wrapper.optimizer.param_groups] == [4e-5, 4e-4]
    run(scheduler, [1.0, 1.0], hub)  # second bad check > patience
    lrs = [g['lr'] for g in wrapper.optimizer.param_groups]
    assert lrs == [pytest.approx(2e-5), pytest.approx(2e-4)]


def test_keeps_rates_while_the_loss_falls_and_resumes():
    hub = MessageHub.get_instance('test_loss_plateau_falling')
    wrapper = two_group_wrapper()
    scheduler = LossPlateauLR(wrapper, interval=3, patience=0)
    run(scheduler, [5, 4, 3, 2, 1, 0.5, 0.4, 0.3, 0.2], hub)
    assert [g['lr'] for g in wrapper.optimizer.param_groups] == [4e-5, 4e-4]
    state = scheduler.state_dict()
    restored_wrapper = two_group_wrapper()
    restored = LossPlateauLR(restored_wrapper, interval=3, patience=0)
    restored.load_state_dict(state)
    assert restored.best == pytest.approx(0.3)
    assert restored.iters_seen == 9
    # The resumed scheduler checks at iteration 12, as the first would.
    run(restored, [9, 9], hub)
    assert restored_wrapper.optimizer.param_groups[0]['lr'] == 4e-5
    run(restored, [9], hub)
    assert restored_wrapper.optimizer.param_groups[0]['lr'] == pytest.approx(
        2e-5)


def test_unknown_monitor_and_bad_arguments():
    hub = MessageHub.get_instance('test_loss_plateau_missing')
    hub.update_scalar('train/loss', 1.0)
    scheduler = LossPlateauLR(
        two_group_wrapper(), monitor='loss_grad', interval=1)
    with pytest.raises(KeyError, match='train/loss_grad'):
        scheduler.step()
    with pytest.raises(ValueError, match='iteration based'):
        LossPlateauLR(two_group_wrapper(), by_epoch=True)
    with pytest.raises(ValueError, match='interval'):
        LossPlateauLR(two_group_wrapper(), interval=0)
