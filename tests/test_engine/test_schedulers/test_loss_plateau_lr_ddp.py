"""Under distributed training every rank takes the same plateau decision,
although each logs the loss of its own batches."""
import socket

import torch
import torch.distributed as torch_dist
import torch.multiprocessing as mp
from mmengine.logging import MessageHub

from mmderain.engine.schedulers import LossPlateauLR


def _worker(rank, port, out):
    torch_dist.init_process_group(
        'gloo',
        init_method=f'tcp://127.0.0.1:{port}',
        rank=rank,
        world_size=2)
    hub = MessageHub.get_instance(f'plateau_ddp_{rank}')
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=1.0)
    scheduler = LossPlateauLR(optimizer, interval=1, patience=0)
    # Rank 0's own loss keeps falling, rank 1's rises more: on average the
    # loss rises, so both must halve their rates.
    for step in range(3):
        loss = 1.0 - 0.1 * step if rank == 0 else 1.0 + 0.3 * step
        hub.update_scalar('train/loss', loss)
        scheduler.step()
    out[rank] = optimizer.param_groups[0]['lr']
    torch_dist.destroy_process_group()


def test_ranks_agree_on_the_plateau():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    out = mp.Manager().dict()
    mp.start_processes(
        _worker, args=(port, out), nprocs=2, start_method='fork')
    assert out[0] == out[1] == 0.25
