"""Compare sequence-training strategies (NR, SI, Mix, ...) as in Neural
Reorganization's Tables 1-3: train each config in its own process, read the
``sequence_eval.json`` every run writes, and write the tables
(:mod:`mmderain.evaluation.nr_tables`).

Besides its matrix, a run's work directory may hold its wall time
(:data:`TIME_FILE`, written by :func:`train_configs`) and a JSON object of
further columns (``run_info.json``, written by ``StateFootprintHook``).
"""
import json
import os
import os.path as osp
import subprocess
import sys
import time
from typing import Any, Dict, List, Optional, Sequence

from mmengine.config import Config

from mmderain.apis.runner_cfg import missing_set_notes
from mmderain.engine.hooks.state_footprint_hook import RUN_INFO_FILE
from mmderain.evaluation.nr_tables import run_slug, write_report
from mmderain.evaluation.sequence_matrix import SequenceMatrix

RESULT_FILE = 'sequence_eval.json'
TIME_FILE = 'train_time_s.txt'


def run_dir(work_root: str, label: str) -> str:
    """Work directory of a run: its label as a file-name-safe slug."""
    return osp.join(work_root, run_slug(label))


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


def collect_run_info(runs: Sequence[str],
                     work_root: str) -> Dict[str, Dict[str, Any]]:
    """Read the :data:`RUN_INFO_FILE` of every run that has one."""
    info = {}
    for label in runs:
        path = osp.join(run_dir(work_root, label), RUN_INFO_FILE)
        if osp.isfile(path):
            with open(path, encoding='utf-8') as f:
                values = json.load(f)
            if not isinstance(values, dict):
                raise ValueError(f'{path} must hold a JSON object of column '
                                 f'name to value, not {type(values)}.')
            info[label] = values
    return info


def collect_results(runs: Sequence[str],
                    work_root: str,
                    skip_missing: bool = False) -> Dict[str, SequenceMatrix]:
    """Read the ``sequence_eval.json`` of every run.

    Args:
        runs (Sequence[str]): Run labels.
        work_root (str): Their work directories' parent.
        skip_missing (bool): Leave out runs without results instead of
            raising. Never when no run has results.
    """
    results = {}
    missing = []
    for label in runs:
        path = osp.join(run_dir(work_root, label), RESULT_FILE)
        if osp.isfile(path):
            results[label] = SequenceMatrix.load(path)
        else:
            missing.append((label, path))
    if missing and (not skip_missing or not results):
        label, path = missing[0]
        raise FileNotFoundError(
            f'Run {label!r} has no {RESULT_FILE} at {path}: did it train '
            'to the end with a SequenceEvalHook?')
    return results


def unfinished_notes(configs: Dict[str, str],
                     results: Dict[str, SequenceMatrix]) -> List[str]:
    """Say which runs stopped before the last task of their config."""
    notes = []
    for label, matrix in results.items():
        tasks = Config.fromfile(configs[label]).get('train_cfg',
                                                    {}).get('tasks')
        if tasks and len(matrix.rows) < len(tasks):
            done = len(matrix.rows)
            notes.append(
                f'{label} finished {done} of its {len(tasks)} tasks: its '
                f'values are those of the model after task {done}; its '
                'average still spans every task set (those of tasks it has '
                'not trained on included), its BWT and forgetting only the '
                'tasks it has trained on.')
    return notes


def compare_runs(runs: Dict[str, str],
                 work_root: str,
                 train: bool = True,
                 train_script: str = 'tools/train.py',
                 cfg_options: Sequence[str] = (),
                 skip_finished: bool = False,
                 out_dir: Optional[str] = None) -> str:
    """Train (optionally) and compare runs; write the report
    (:func:`write_report`) into ``out_dir`` (default ``work_root``) and
    return its Markdown text.

    Without training, runs that have no results yet are left out with a
    note. Notes also name the optional evaluation sets (e.g. real rain,
    whose data may be missing) that a run was not evaluated on, and the
    runs that stopped before their last task.
    """
    if train:
        train_configs(runs, work_root, train_script, cfg_options,
                      skip_finished)
    results = collect_results(list(runs), work_root, skip_missing=not train)
    notes = [
        f'{label} has no results in {run_dir(work_root, label)} (not '
        'trained, or not finished); it is left out.' for label in runs
        if label not in results
    ]
    notes += unfinished_notes(runs, results)
    notes += missing_set_notes(
        {label: runs[label]
         for label in results},
        {label: m.sets
         for label, m in results.items()})
    paths = write_report(results, out_dir or work_root,
                         collect_times(list(results), work_root), notes,
                         collect_run_info(list(results), work_root))
    with open(paths['markdown'], encoding='utf-8') as f:
        return f.read()
