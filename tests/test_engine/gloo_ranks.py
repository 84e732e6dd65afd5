"""Run a function on two CPU processes joined in a gloo process group."""
from typing import Callable, Dict

import torch.distributed as torch_dist
import torch.multiprocessing as mp
from tool_runs import free_port


def _rank_main(rank: int, port: int, fn: Callable, out: Dict) -> None:
    torch_dist.init_process_group(
        'gloo',
        init_method=f'tcp://127.0.0.1:{port}',
        rank=rank,
        world_size=2)
    try:
        out[rank] = fn(rank)
    finally:
        torch_dist.destroy_process_group()


def run_on_two_ranks(fn: Callable) -> Dict:
    """Call ``fn(rank)`` on ranks 0 and 1 and return their results by rank.

    The processes are forked, so ``fn`` may be a local function; its
    results must be picklable.
    """
    out = mp.Manager().dict()
    mp.start_processes(
        _rank_main, args=(free_port(), fn, out), nprocs=2,
        start_method='fork')
    return dict(out)
