"""Train NR, its variants, the continual-learning baselines (LwF, EWC, MAS,
PIGWM), SI and Mix on the synthetic rain sequence and print the comparison
table (README's demo table).

Runs: NR (Fig. 3b literally: the union of every task's top P(n)), NR
(free-rank: disjoint shares of Eq. 3), NR (per-batch importance), LwF
(= NR without SC), EWC, MAS, PIGWM (soft penalty), SI and Mix.

    python tools/analysis_tools/nr_compare.py
    python tools/analysis_tools/nr_compare.py --no-train   # tables only
    # rewrite the README's table between <!-- nr-table:start --> and
    # <!-- nr-table:end --> from the finished runs
    python tools/analysis_tools/nr_compare.py --no-train --update-markdown \
        README.md

The report (comparison.md, comparison_{summary,final}.csv,
comparison_final.png and each run's matrix_<run>.{csv,png}) goes to
--out (default: the work root).

Generalization columns: the held-out rain style and, when data/RainTrainL
exists, real rain (the 192x192 centre crops of its held-out split, ids
159-200, as ``real-rain100l-c192``).
Without that folder the runs leave real rain out with a message, and a
note under the table says which runs lack it.

Penalty weights of EWC, MAS and PIGWM are chosen on synthetic validation
sets only: ``--grid METHOD W1 W2 ...`` trains the method once per weight
with a short budget (``--grid-iters`` per task) and scores it, after the
last task, by the average PSNR (Y) over validation renders of the four
task styles: 8 renders per style of the training split's photos with rain
fixed by a seed other than the test sets' (so neither test photos nor test
rain are seen), real rain left out. It prints the weights' scores, writes
``WORK_ROOT/grid_<method>.json`` and names the best weight:

    python tools/analysis_tools/nr_compare.py --grid ewc 10 100 1000 10000 \
        --work-root work_dirs/nr_grid
    python tools/analysis_tools/nr_compare.py --grid mas 0.1 1 10 100 \
        --work-root work_dirs/nr_grid
"""
import argparse
import json
import os
import os.path as osp

from mmderain.evaluation.nr_report import (collect_results, compare_runs,
                                           replace_marked_block,
                                           train_configs)

DEMO_RUNS = {
    'NR': 'configs/nr/prenet_nr_demo_syn_seq.py',
    'NR (free-rank)': 'configs/nr/prenet_nr-free-rank_demo_syn_seq.py',
    'NR (per-batch importance)':
    'configs/nr/prenet_nr-per-batch_demo_syn_seq.py',
    'LwF': 'configs/nr/prenet_lwf_demo_syn_seq.py',
    'EWC': 'configs/nr/prenet_ewc_demo_syn_seq.py',
    'MAS': 'configs/nr/prenet_mas_demo_syn_seq.py',
    'PIGWM (soft)': 'configs/nr/prenet_pigwm_demo_syn_seq.py',
    'SI': 'configs/nr/prenet_si_demo_syn_seq.py',
    'Mix': 'configs/nr/prenet_mix_demo_syn_seq.py',
}
PENALTY_DEMOS = {
    'ewc': 'configs/nr/prenet_ewc_demo_syn_seq.py',
    'mas': 'configs/nr/prenet_mas_demo_syn_seq.py',
    'pigwm': 'configs/nr/prenet_pigwm_demo_syn_seq.py',
}
# Validation renders: the demo's first four evaluation sets (the task
# styles) on the training photos with another rain seed; the held-out
# style shrunk (not used for the choice); real rain left out.
VALIDATION_SEED = 7
# Validation images per style in a grid run (the test sets have 28-32).
GRID_VAL_SAMPLES = 8
NUM_TASKS = 4


def grid_options(weight: float, iters: int, work_root: str) -> list:
    """``--cfg-options`` of one grid run: penalty weight, short budget,
    validation sets instead of test sets."""
    options = [f'custom_hooks.0.loss_weight={weight}']
    options += [
        f'train_cfg.tasks.{i}.max_iters={iters}' for i in range(NUM_TASKS)
    ]
    options.append('train_cfg.param_scheduler.milestones='
                   f'[{int(iters * 0.3)},{int(iters * 0.5)},'
                   f'{int(iters * 0.8)}]')
    for i in range(NUM_TASKS):
        options += [
            f'val_dataloader.{i}.dataset.split=train',
            f'val_dataloader.{i}.dataset.seed={VALIDATION_SEED}',
            f'val_dataloader.{i}.dataset.num_samples={GRID_VAL_SAMPLES}'
        ]
    options += [
        f'val_dataloader.{NUM_TASKS}.dataset.num_samples=4',
        f'val_dataloader.{NUM_TASKS + 1}.dataset.data_root=' +
        osp.join(work_root, 'no-real-rain-in-the-grid')
    ]
    return options


def run_grid(method: str, weights: list, iters: int, work_root: str,
             metric: str = 'Y/PSNR') -> dict:
    """Train ``method`` once per weight and pick the best average
    ``metric`` over the task styles' validation renders."""
    config = PENALTY_DEMOS[method]
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


def parse_args():
    parser = argparse.ArgumentParser(
        description='Compare sequence-training strategies (Neural '
        'Reorganization, Tables 1-3).')
    parser.add_argument(
        '--run',
        nargs=2,
        action='append',
        metavar=('LABEL', 'CONFIG'),
        help='a run to compare (repeatable); default: the demo runs')
    parser.add_argument(
        '--work-root',
        default='work_dirs/nr_compare',
        help='each run trains in WORK_ROOT/<slug of its label>, e.g. '
        'WORK_ROOT/nr-free-rank')
    parser.add_argument(
        '--no-train',
        action='store_true',
        help='only read finished runs and print the table')
    parser.add_argument(
        '--skip-finished',
        action='store_true',
        help='do not retrain runs that already wrote their results')
    parser.add_argument(
        '--out',
        help='folder for the tables (Markdown, CSV) and heatmaps; default: '
        'the work root')
    parser.add_argument(
        '--update-markdown',
        nargs='+',
        default=[],
        metavar='FILE',
        help='Markdown files whose block between "<!-- MARKER:start -->" '
        'and "<!-- MARKER:end -->" is replaced by the tables')
    parser.add_argument(
        '--marker',
        default='nr-table',
        help='name of the marked block for --update-markdown')
    parser.add_argument(
        '--grid',
        nargs='+',
        metavar=('METHOD', 'WEIGHT'),
        help='choose a penalty weight: METHOD (ewc, mas or pigwm) and the '
        'weights to try, on synthetic validation sets (see above)')
    parser.add_argument(
        '--grid-iters',
        type=int,
        default=100,
        help='iterations per task of each grid run (default: 100)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        default=[],
        help='key=value overrides passed to every run')
    return parser.parse_args()


def main():
    args = parse_args()
    if args.grid:
        method, weights = args.grid[0], [float(w) for w in args.grid[1:]]
        if method not in PENALTY_DEMOS or not weights:
            raise SystemExit(f'--grid needs one of {sorted(PENALTY_DEMOS)} '
                             f'and at least one weight, got {args.grid}.')
        choice = run_grid(method, weights, args.grid_iters, args.work_root)
        for weight, score in choice['scores'].items():
            print(f'{method} weight {weight}: {choice["metric"]} average '
                  f'{score:.3f}')
        print(f'best {method} weight: {choice["best"]:g}')
        return
    runs = dict(args.run) if args.run else DEMO_RUNS
    table = compare_runs(
        runs,
        args.work_root,
        train=not args.no_train,
        cfg_options=args.cfg_options,
        skip_finished=args.skip_finished,
        out_dir=args.out)
    for path in args.update_markdown:
        replace_marked_block(path, args.marker, table)
    print(table)


if __name__ == '__main__':
    main()
