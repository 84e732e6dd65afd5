"""Train NR, NR (free-rank), SI and Mix on the synthetic rain sequence and
print the comparison table (README's demo table).

    python tools/analysis_tools/nr_compare.py
    python tools/analysis_tools/nr_compare.py --no-train   # table only

Generalization columns: the held-out rain style and, when data/RainTrainL
exists, real rain (the 192x192 centre crops of its held-out split, ids
159-200, as ``real-rain100l-c192``).
Without that folder the runs leave real rain out with a message, and a
note under the table says which runs lack it.
"""
import argparse

from mmderain.evaluation.nr_report import compare_runs

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
        skip_finished=args.skip_finished)
    print(table)


if __name__ == '__main__':
    main()
