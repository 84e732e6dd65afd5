"""Under distributed training every rank takes the same plateau decision,
although each logs the loss of its own batches."""
import pytest
import torch
from gloo_ranks import run_on_two_ranks
from mmengine.logging import MessageHub

from mmderain.engine.schedulers import LossPlateauLR

pytestmark = pytest.mark.e2e


def _plateau_lr(rank):
    hub = MessageHub.get_instance(f'plateau_ddp_{rank}')
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=1.0)
    scheduler = LossPlateauLR(optimizer, interval=1, patience=0)
    # Rank 0's own loss keeps falling, rank 1's rises more: on average the
    # loss rises, so both must halve their rates.
    for step in range(3):
        loss = 1.0 - 0.1 * step if rank == 0 else 1.0 + 0.3 * step
        hub.update_scalar('train/loss', loss)
        scheduler.step()
    return optimizer.param_groups[0]['lr']


def test_ranks_agree_on_the_plateau():
    out = run_on_two_ranks(_plateau_lr)
    assert out[0] == out[1] == 0.25
