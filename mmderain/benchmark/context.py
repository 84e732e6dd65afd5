"""Settings shared by the sub-benchmarks of one run."""
from dataclasses import dataclass, field
from typing import Tuple

import torch


@dataclass
class BenchContext:
    """What every sub-benchmark needs to know about the run.

    Args:
        device (str): ``'cpu'`` or ``'cuda'``.
        work_dir (str): Scratch directory (Runner logs).
        rounds (int): Timed repetitions of every variant.
        command (str): The command line, named in every figure's source.
        options (tuple[str]): Optional speed-ups to measure as extra
            variants: ``'channels_last'``, ``'compile'``, ``'amp'``.
        quick (bool): Tiny sizes (tests, smoke runs).
    """

    device: str = 'cpu'
    work_dir: str = './work_dirs/benchmark'
    rounds: int = 5
    command: str = ''
    options: Tuple[str, ...] = field(default_factory=tuple)
    quick: bool = False

    @property
    def threads(self) -> int:
        """int: Torch's intra-op threads in this process."""
        return torch.get_num_threads()
