"""Train NR, its variants, the continual-learning baselines (LwF, EWC, MAS,
PIGWM), SI and Mix on the rendered rain sequence and print the comparison
table (configs/nr/README.md, "Results and models").

Runs: NR (Fig. 3b literally: the union of every task's top P(n)), NR
(free-rank: disjoint shares of Eq. 3), NR (per-batch importance), LwF
(= NR without SC), EWC, MAS, PIGWM (soft penalty), SI and Mix.

    python tools/analysis_tools/nr_compare.py
    python tools/analysis_tools/nr_compare.py --no-train   # tables only
    # rewrite the table between <!-- nr-table:start --> and
    # <!-- nr-table:end --> from the finished runs
    python tools/analysis_tools/nr_compare.py --no-train --update-markdown \
        configs/nr/README.md

The report (comparison.md, comparison_{summary,final}.csv,
comparison_final.png and each run's matrix_<run>.{csv,png}) goes to
--out (default: the work root).

Generalization columns: the held-out rendered rain style and, each when
its folder exists, the 192x192 centre crops of public synthetic rain,
RainTrainL's held-out split (ids 159-200, the last task's light kind of
rain; ``public-raintrainl-heldout-c192``) and RainTrainH (heavy rain, never
trained on; ``public-raintrainh-c192``), and of real rain, pairs made from a
static-camera video by tools/dataset_converters/video_to_pairs.py in
data/real_video_pairs (``real-video-c192``). Without a folder the runs leave
its set out with a message, and a note under the table says which runs lack
it and how to get it.

Penalty weights of EWC, MAS and PIGWM are chosen on rendered validation
sets only: ``--grid METHOD W1 W2 ...`` trains the method once per weight
with a short budget (``--grid-iters`` per task) and scores it, after the
last task, by the average PSNR (Y) over validation renders of the four
task styles: 8 renders per style of the training split's photos with rain
fixed by a seed other than the test sets' (so neither test photos nor test
rain are seen), the public and real sets left out. It prints the weights'
scores, writes ``WORK_ROOT/grid_<method>.json`` and names the best weight:

    python tools/analysis_tools/nr_compare.py --grid ewc 10 100 1000 10000 \
        --work-root work_dirs/nr_grid
    python tools/analysis_tools/nr_compare.py --grid mas 0.1 1 10 100 \
        --work-root work_dirs/nr_grid
"""
import argparse

from mmderain.experiments import (compare_runs, replace_marked_block,
                                  run_penalty_grid)

DEMO_RUNS = {
    'NR': 'configs/nr/prenet_nr_demo_rendered_seq.py',
    'NR (free-rank)': 'configs/nr/prenet_nr-free-rank_demo_rendered_seq.py',
    'NR (per-batch importance)':
    'configs/nr/prenet_nr-per-batch_demo_rendered_seq.py',
    'LwF': 'configs/nr/prenet_lwf_demo_rendered_seq.py',
    'EWC': 'configs/nr/prenet_ewc_demo_rendered_seq.py',
    'MAS': 'configs/nr/prenet_mas_demo_rendered_seq.py',
    'PIGWM (soft)': 'configs/nr/prenet_pigwm_demo_rendered_seq.py',
    'SI': 'configs/nr/prenet_si_demo_rendered_seq.py',
    'Mix': 'configs/nr/prenet_mix_demo_rendered_seq.py',
}
PENALTY_DEMOS = {
    'ewc': 'configs/nr/prenet_ewc_demo_rendered_seq.py',
    'mas': 'configs/nr/prenet_mas_demo_rendered_seq.py',
    'pigwm': 'configs/nr/prenet_pigwm_demo_rendered_seq.py',
}


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
        choice = run_penalty_grid(method, PENALTY_DEMOS[method], weights,
                                  args.grid_iters, args.work_root)
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
