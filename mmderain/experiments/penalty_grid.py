"""Choose the penalty weight of EWC, MAS or PIGWM on rendered validation
sets only, never on test data.

A grid run trains the method's demo config once per weight with a short
budget and scores it, after the last task, by the average PSNR (Y) over
validation renders of the four task styles: renders of the training
split's photos with rain drawn from a seed other than the test sets' (so
neither the test photos nor the test rain are seen), and none of the
optional public or real sets.
"""
import json
import os
import os.path as osp
from typing import Dict, Sequence

from .nr_compare import collect_results, train_configs

# A rain seed the demo's test sets do not use.
VALIDATION_SEED = 7
# Validation images per style in a grid run (the test sets have 28-32).
GRID_VAL_SAMPLES = 8
NUM_TASKS = 4
# The demo's optional sets after the held-out style: public RainTrainL and
# RainTrainH, real pairs from video.
NUM_OPTIONAL_SETS = 3


def grid_options(weight: float,
                 iters: int,
                 work_root: str,
                 num_tasks: int = NUM_TASKS,
                 num_optional: int = NUM_OPTIONAL_SETS) -> list:
    """``--cfg-options`` strings of one grid run.

    The penalty hook must be the config's first custom hook, and its
    evaluation sets the task styles followed by the held-out style and
    the optional public and real sets, as in
    ``configs/nr/prenet_nr_demo_rendered_seq.py``.

    Args:
        weight (float): The penalty hook's ``loss_weight``.
        iters (int): Iterations per task; the learning-rate milestones are
            scaled to it as in the demo (30/50/80%).
        work_root (str): Root of the grid's runs; the optional sets are
            pointed at a folder inside it that does not exist, so they are
            left out.
        num_tasks (int): Number of tasks in the sequence.
        num_optional (int): Number of optional sets after the held-out
            style.

    Returns:
        list[str]: ``key=value`` overrides.
    """
    options = [f'custom_hooks.0.loss_weight={weight}']
    options += [
        f'train_cfg.tasks.{i}.max_iters={iters}' for i in range(num_tasks)
    ]
    options.append('train_cfg.param_scheduler.milestones='
                   f'[{int(iters * 0.3)},{int(iters * 0.5)},'
                   f'{int(iters * 0.8)}]')
    for i in range(num_tasks):
        options += [
            f'val_dataloader.{i}.dataset.split=train',
            f'val_dataloader.{i}.dataset.seed={VALIDATION_SEED}',
            f'val_dataloader.{i}.dataset.num_samples={GRID_VAL_SAMPLES}'
        ]
    options.append(f'val_dataloader.{num_tasks}.dataset.num_samples=4')
    absent = osp.join(work_root, 'no-optional-set-in-the-grid')
    options += [
        f'val_dataloader.{index}.dataset.data_root={absent}'
        for index in range(num_tasks + 1, num_tasks + 1 + num_optional)
    ]
    return options


def run_penalty_grid(method: str,
                     config: str,
                     weights: Sequence[float],
                     iters: int,
                     work_root: str,
                     metric: str = 'Y/PSNR') -> Dict:
    """Train ``config`` once per weight and pick the best validation
    average of ``metric``; finished grid runs are reused.

    Args:
        method (str): Name of the method, e.g. ``'ewc'``: the runs train in
            ``WORK_ROOT/<method>-w-<weight>`` and the choice is written to
            ``WORK_ROOT/grid_<method>.json``.
        config (str): The method's demo config.
        weights (Sequence[float]): Penalty weights to try.
        iters (int): Iterations per task of each run.
        work_root (str): Root work directory of the grid.
        metric (str): Metric whose average over the task styles decides.

    Returns:
        dict: The method, metric, budget, every weight's score and the
        best weight.
    """
    if not weights:
        raise ValueError(f'The {method} grid needs at least one weight.')
    scores = {}
    for weight in weights:
        label = f'{method} w={weight:g}'
        train_configs({label: config},
                      work_root,
                      cfg_options=grid_options(weight, iters, work_root),
                      skip_finished=True)
        matrix = collect_results([label], work_root)[label]
        scores[weight] = matrix.summary()[metric]['average']
    best = max(scores, key=scores.get)
    choice = dict(
        method=method,
        metric=metric,
        iters_per_task=iters,
        scores={f'{w:g}': v
                for w, v in scores.items()},
        best=best)
    os.makedirs(work_root, exist_ok=True)
    with open(
            osp.join(work_root, f'grid_{method}.json'), 'w',
            encoding='utf-8') as f:
        json.dump(choice, f, indent=2)
    return choice


__all__ = [
    'GRID_VAL_SAMPLES', 'VALIDATION_SEED', 'grid_options', 'run_penalty_grid'
]
