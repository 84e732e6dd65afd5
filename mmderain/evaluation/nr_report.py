"""Compare sequence-training strategies (NR, SI, Mix, ...) as in Neural
Reorganization's Tables 1-3: train each config, read the
``sequence_eval.json`` every run writes, and render markdown tables."""
import os
import os.path as osp
import re
import subprocess
import sys
import time
from typing import Dict, List, Optional, Sequence

from mmderain.apis.runner_cfg import missing_set_notes
from .sequence_matrix import SequenceMatrix

RESULT_FILE = 'sequence_eval.json'
TIME_FILE = 'train_time_s.txt'


def _fmt(value: Optional[float], metric: str, signed: bool = False) -> str:
    if value is None:
        return 'n/a'
    digits = 2 if 'PSNR' in metric else 4
    return f'{value:+.{digits}f}' if signed else f'{value:.{digits}f}'


def comparison_table(results: Dict[str, SequenceMatrix],
                     times: Optional[Dict[str, float]] = None,
                     notes: Sequence[str] = ()) -> str:
    """Markdown tables of several runs on the same sets.

    The first table gives, per run, the average over the task test sets
    after the last task, backward transfer (BWT, negative = forgetting),
    forgetting (best earlier value minus final, averaged over earlier
    tasks) and the held-out (generalization) sets; the second gives the
    final value on every set (the layout of the paper's Table 1).

    The runs must share their task sets and metrics; held-out sets may
    differ (an optional set whose data was missing in some runs), and a
    run without a set shows 'n/a' there.

    Args:
        results (dict[str, SequenceMatrix]): Run label to its matrix.
        times (dict[str, float], optional): Run label to wall time in
            seconds, shown as a column when given.
        notes (Sequence[str]): Lines written under the tables, e.g. which
            optional sets were not evaluated. Defaults to ().

    Returns:
        str: The markdown text.
    """
    if not results:
        raise ValueError('comparison_table needs at least one result.')
    first = next(iter(results.values()))
    metrics = first.metrics
    extra: List[str] = []
    for label, matrix in results.items():
        if (matrix.task_sets, matrix.metrics) != (first.task_sets,
                                                  first.metrics):
            raise ValueError(
                f'Run {label!r} was evaluated on the task sets '
                f'{matrix.task_sets} with {matrix.metrics}, unlike '
                f'{first.task_sets} with {first.metrics}.')
        extra += [s for s in matrix.extra_sets if s not in extra]

    header = ['Method', 'tasks']
    header += [f'avg {m}' for m in metrics]
    header += [f'BWT {m}' for m in metrics]
    header += [f'forgetting {m}' for m in metrics]
    header += [f'{s} {m}' for s in extra for m in metrics]
    if times:
        header.append('train time')
    lines = [
        '| ' + ' | '.join(header) + ' |',
        '|' + '---|' * len(header),
    ]
    for label, matrix in results.items():
        summary = matrix.summary()
        cells = [label, str(len(matrix.rows))]
        cells += [_fmt(summary[m]['average'], m) for m in metrics]
        cells += [
            _fmt(summary[m]['backward_transfer'], m, signed=True)
            for m in metrics
        ]
        cells += [
            _fmt(summary[m]['forgetting'], m, signed=True) for m in metrics
        ]
        cells += [
            _fmt(summary[m]['generalization'].get(s), m) for s in extra
            for m in metrics
        ]
        if times:
            seconds = times.get(label)
            cells.append('n/a' if seconds is None else
                         f'{seconds / 60:.1f} min')
        lines.append('| ' + ' | '.join(cells) + ' |')

    sets = first.task_sets + extra
    per_set = ['Method'] + [f'{s} {m}' for s in sets for m in metrics]
    lines += [
        '',
        '| ' + ' | '.join(per_set) + ' |',
        '|' + '---|' * len(per_set),
    ]
    for label, matrix in results.items():
        final = {m: matrix.final_row(m) for m in metrics}
        cells = [label] + [
            _fmt(final[m].get(s), m) for s in sets for m in metrics
        ]
        lines.append('| ' + ' | '.join(cells) + ' |')
    if notes:
        lines += [''] + [f'Note: {note}' for note in notes]
    return '\n'.join(lines) + '\n'


def run_dir(work_root: str, label: str) -> str:
    """Work directory of a run: its label as a file-name-safe slug."""
    slug = re.sub(r'[^a-z0-9]+', '-', label.lower()).strip('-')
    if not slug:
        raise ValueError(f'Run label {label!r} has no letters or digits.')
    return osp.join(work_root, slug)


def train_configs(runs: Dict[str, str],
                  work_root: str,
                  train_script: str = 'tools/train.py',
                  cfg_options: Sequence[str] = (),
                  skip_finished: bool = False) -> Dict[str, float]:
    """Train each config in its own process, one after another.

    Args:
        runs (dict[str, str]): Run label to config path.
        work_root (str): Each run works in :func:`run_dir`.
        train_script (str): The training entry point.
        cfg_options (Sequence[str]): ``key=value`` overrides for every run.
        skip_finished (bool): Skip a run whose result file exists.

    Returns:
        dict[str, float]: Wall time in seconds of each run trained.
    """
    times = {}
    for label, config in runs.items():
        work_dir = run_dir(work_root, label)
        if skip_finished and osp.isfile(osp.join(work_dir, RESULT_FILE)):
            continue
        os.makedirs(work_dir, exist_ok=True)
        cmd = [sys.executable, train_script, config, '--work-dir', work_dir]
        if cfg_options:
            cmd += ['--cfg-options', *cfg_options]
        start = time.time()
        subprocess.run(cmd, check=True)
        times[label] = time.time() - start
        with open(osp.join(work_dir, TIME_FILE), 'w', encoding='utf-8') as f:
            f.write(f'{times[label]:.1f}\n')
    return times


def collect_times(runs: Sequence[str], work_root: str) -> Dict[str, float]:
    """Read the wall times that :func:`train_configs` wrote."""
    times = {}
    for label in runs:
        path = osp.join(run_dir(work_root, label), TIME_FILE)
        if osp.isfile(path):
            with open(path, encoding='utf-8') as f:
                times[label] = float(f.read())
    return times


def collect_results(runs: Sequence[str],
                    work_root: str) -> Dict[str, SequenceMatrix]:
    """Read the ``sequence_eval.json`` of every run."""
    results = {}
    for label in runs:
        path = osp.join(run_dir(work_root, label), RESULT_FILE)
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'Run {label!r} has no {RESULT_FILE} at {path}: did it train '
                'to the end with a SequenceEvalHook?')
        results[label] = SequenceMatrix.load(path)
    return results


def compare_runs(runs: Dict[str, str],
                 work_root: str,
                 train: bool = True,
                 train_script: str = 'tools/train.py',
                 cfg_options: Sequence[str] = (),
                 skip_finished: bool = False) -> str:
    """Train (optionally) and compare runs; write
    ``work_root/comparison.md`` and return its text.

    Optional evaluation sets of the configs (e.g. real rain, whose data
    may be missing) that a run was not evaluated on are named under the
    tables.
    """
    if train:
        train_configs(runs, work_root, train_script, cfg_options,
                      skip_finished)
    results = collect_results(list(runs), work_root)
    notes = missing_set_notes(
        runs, {label: m.sets
               for label, m in results.items()})
    table = comparison_table(results, collect_times(list(runs), work_root),
                             notes)
    os.makedirs(work_root, exist_ok=True)
    with open(osp.join(work_root, 'comparison.md'), 'w',
              encoding='utf-8') as f:
        f.write(table)
    return table
