"""Timing and peak-memory primitives of the benchmark suite.

Ratios are what the suite reports as targets, and on a shared machine only
ratios measured side by side hold: :func:`interleave` runs the variants in
alternating order (ABC CBA ABC ...) so that a slow phase of the machine hits
every variant alike, and the median discards the outliers. Peak memory on
the CPU is the resident-set high-water mark of the process (``VmHWM`` of
``/proc/self/status``): torch allocates outside Python's allocator, so
``tracemalloc`` would not see it. The mark is reset through
``/proc/self/clear_refs`` after the set-up, and every memory figure runs in
a fresh process (:func:`run_in_subprocess`) so that memory cached by earlier
measurements does not hide a peak.
"""
import multiprocessing
import os
import statistics
import time
from typing import Any, Callable, Dict, List, Optional, Sequence

import torch

_STATUS = '/proc/self/status'
_CLEAR_REFS = '/proc/self/clear_refs'


def synchronize(device: str) -> None:
    """Wait for queued kernels of ``device`` (a no-op on the CPU)."""
    if str(device).startswith('cuda'):
        torch.cuda.synchronize()


def step_clock(device: str) -> Callable[[], float]:
    """The clock of :func:`interleave` on ``device``.

    On the CPU it is the process's CPU time (all its threads): on a shared
    machine the wall clock also counts the time other processes hold the
    cores, which measured 2-3x the CPU time here, while CPU time counts
    only this process's work. On a GPU it is the wall clock around
    synchronized kernels.
    """
    return time.perf_counter if str(device).startswith(
        'cuda') else time.process_time


def clock_label(device: str) -> str:
    """How :func:`step_clock` measures, for the figures' notes."""
    return 'wall time' if str(device).startswith('cuda') else 'CPU time'


def interleave(steps: Dict[str, Callable[[], Any]],
               rounds: int,
               warmup: int = 1,
               device: str = 'cpu') -> Dict[str, List[float]]:
    """Time every step ``rounds`` times, alternating the variants.

    Even rounds run the steps in the given order and odd rounds in reverse
    order, so a drift of the machine's speed costs every variant the same.
    Times come from :func:`step_clock`.

    Args:
        steps (dict[str, callable]): One callable per variant, each running
            one complete unit of work (e.g. one training iteration).
        rounds (int): Timed calls of every step.
        warmup (int): Untimed calls of every step first. Default: 1.
        device (str): Device to synchronize around each call. Default:
            ``'cpu'``.

    Returns:
        dict[str, list[float]]: Seconds of every timed call, per variant.
    """
    if rounds < 1:
        raise ValueError(f'interleave needs rounds >= 1, got {rounds}.')
    names = list(steps)
    for _ in range(warmup):
        for name in names:
            steps[name]()
    clock = step_clock(device)
    times: Dict[str, List[float]] = {name: [] for name in names}
    for index in range(rounds):
        for name in (names if index % 2 == 0 else names[::-1]):
            synchronize(device)
            start = clock()
            steps[name]()
            synchronize(device)
            times[name].append(clock() - start)
    return times


def median(values: Sequence[float]) -> float:
    """Median of ``values`` (raises on an empty sequence)."""
    return float(statistics.median(values))


def _status_bytes(field: str) -> Optional[int]:
    try:
        with open(_STATUS) as status:
            for line in status:
                if line.startswith(field + ':'):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def reset_peak_rss() -> bool:
    """Reset the process's resident-set high-water mark (Linux >= 4.0).

    Returns:
        bool: Whether the mark could be reset.
    """
    try:
        with open(_CLEAR_REFS, 'w') as clear_refs:
            clear_refs.write('5')
        return True
    except OSError:
        return False


class PeakMemory:
    """Context manager measuring the peak memory added inside its block.

    On the CPU the figure is ``VmHWM`` at exit minus ``VmRSS`` at entry, the
    high-water mark having been reset at entry; on a GPU it is
    ``torch.cuda.max_memory_allocated`` minus the memory allocated at entry.
    ``peak_bytes`` is None where the platform gives no reading. On the CPU
    memory the process already holds (freed but kept by the allocator) is
    reused without adding to the resident set, so measure in a fresh
    process (:func:`run_in_subprocess`) for figures that compare.

    Args:
        device (str): ``'cpu'`` or a CUDA device. Default: ``'cpu'``.
    """

    def __init__(self, device: str = 'cpu') -> None:
        self.device = str(device)
        self.peak_bytes: Optional[int] = None
        self.exact = True
        self._start: Optional[int] = None

    def __enter__(self) -> 'PeakMemory':
        if self.device.startswith('cuda'):
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
            self._start = torch.cuda.memory_allocated()
        else:
            # Without a reset the mark may stem from the set-up: an upper
            # bound, flagged as such.
            self.exact = reset_peak_rss()
            self._start = _status_bytes('VmRSS')
        return self

    def __exit__(self, *exc_info) -> None:
        if self.device.startswith('cuda'):
            torch.cuda.synchronize()
            self.peak_bytes = torch.cuda.max_memory_allocated() - self._start
        else:
            peak = _status_bytes('VmHWM')
            if peak is not None and self._start is not None:
                self.peak_bytes = max(0, peak - self._start)


def _subprocess_entry(queue, func, args, kwargs) -> None:
    try:
        queue.put(('ok', func(*args, **kwargs)))
    except BaseException as error:  # report any failure to the parent
        queue.put(('error', f'{type(error).__name__}: {error}'))


def run_in_subprocess(func: Callable, *args, timeout: float = 1800,
                      **kwargs) -> Any:
    """Run ``func(*args, **kwargs)`` in a fresh (spawned) Python process.

    ``func`` must be importable by name (a module-level function) and its
    result picklable. Torch's thread count is passed on through
    ``OMP_NUM_THREADS`` so the child computes like the parent.

    Raises:
        RuntimeError: If the child fails, dies or exceeds ``timeout``.
    """
    context = multiprocessing.get_context('spawn')
    queue = context.Queue()
    env_threads = os.environ.get('OMP_NUM_THREADS')
    os.environ['OMP_NUM_THREADS'] = str(torch.get_num_threads())
    try:
        process = context.Process(
            target=_subprocess_entry, args=(queue, func, args, kwargs))
        process.start()
    finally:
        if env_threads is None:
            del os.environ['OMP_NUM_THREADS']
        else:
            os.environ['OMP_NUM_THREADS'] = env_threads
    try:
        status, value = queue.get(timeout=timeout)
    except Exception as error:
        process.kill()
        raise RuntimeError(f'{func.__name__} in a subprocess gave no result '
                           f'(exit code {process.exitcode}): {error!r}')
    finally:
        process.join(timeout=60)
    if status != 'ok':
        raise RuntimeError(f'{func.__name__} failed in a subprocess: {value}')
    return value
