"""Train NR, NR (free-rank), SI and Mix on the synthetic rain sequence and
print the comparison table (README's demo table).

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
"""
import argparse

from mmderain.evaluation.nr_report import compare_runs, replace_marked_block

DEMO_RUNS = {
    'NR': 'configs/nr/prenet_nr_demo_syn_seq.py',
    'NR (free-rank)': 'configs/nr/prenet_nr-free-rank_demo_syn_seq.py',
    'SI': 'configs/nr/prenet_si_demo_syn_seq.py',
    'Mix': 'configs/nr/prenet_mix_demo_syn_seq.py',
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
        help='a run to compare (repeatable); default: the four demo runs')
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
        '--cfg-options',
        nargs='+',
        default=[],
        help='key=value overrides passed to every run')
    return parser.parse_args()


def main():
    args = parse_args()
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
