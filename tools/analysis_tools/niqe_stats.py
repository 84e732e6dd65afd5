"""NIQE of folders of images, summarized and plotted against each other.

As the TTL paper's Fig. 2: real rainy photos against rendered rain and
against de-rained outputs. Writes ``niqe_distributions.png``,
``niqe_per_image.csv`` and ``niqe_summary.md`` into ``--out`` and prints
the summary.

Example::

    python tools/analysis_tools/niqe_stats.py \\
        real=data/real_rainy_photos rendered='work_dirs/rendered/rain/*.png' \\
        --max-side 1024 --out work_dirs/niqe
"""
import argparse
import sys


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='NIQE distributions of folders of images')
    parser.add_argument(
        'folders',
        nargs='+',
        help='LABEL=PATH or PATH; PATH a folder, an image or a glob')
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument(
        '--max-side',
        type=int,
        default=None,
        help='shrink images whose longer side exceeds this first (NIQE '
        'depends on scale; use one setting for all folders)')
    parser.add_argument('--crop-border', type=int, default=0)
    parser.add_argument('--bins', type=int, default=30)
    parser.add_argument(
        '--log-x',
        action='store_true',
        help='logarithmic NIQE axis (for folders of very different spread)')
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    from mmderain.analysis import niqe_report, parse_folder
    from mmderain.analysis.niqe_stats import format_summary

    rows, skipped = niqe_report([parse_folder(f) for f in args.folders],
                                args.out,
                                max_side=args.max_side,
                                crop_border=args.crop_border,
                                bins=args.bins,
                                log_x=args.log_x)
    print(format_summary(rows))
    for path, reason in skipped.items():
        print(f'SKIPPED {path}: {reason}', file=sys.stderr)
    print(f'Wrote the plot, per-image scores and summary to {args.out}')
    return 1 if skipped else 0


if __name__ == '__main__':
    sys.exit(main())
