"""Speed and memory benchmark of mmderain.

Prints a Markdown table of figures and of the speed and memory targets
(README, "Speed and memory") and writes
them as JSON. Variants are timed side by side (interleaved, medians), so the
ratios hold on a busy machine even where absolute numbers drift.

    python tools/analysis_tools/benchmark.py [--only train,nr,importance,data,dataset_check,infer,onnx]
        [--device cpu cuda] [--rounds 5] [--threads N]
        [--options channels_last compile amp] [--out work_dirs/benchmark/benchmark.json]
"""  # noqa: E501
import argparse
import os
import os.path as osp
import sys


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--only', default='',
                        help='comma-separated sub-benchmarks (default: all)')
    parser.add_argument('--device', nargs='+', default=None,
                        help='cpu and/or cuda (default: cpu, and cuda when '
                        'a GPU is present)')
    parser.add_argument('--rounds', type=int, default=5,
                        help='timed repetitions of every variant')
    parser.add_argument('--threads', type=int, default=None,
                        help='torch threads (default: torch\'s own)')
    parser.add_argument('--options', nargs='*', default=[],
                        help='speed-ups to time as extra variants: '
                        'channels_last, compile, amp (GPU only)')
    parser.add_argument('--quick', action='store_true',
                        help='tiny sizes: a smoke test of the tool')
    parser.add_argument('--work-dir', default='./work_dirs/benchmark')
    parser.add_argument('--out', default=None,
                        help='JSON file (default: WORK_DIR/benchmark.json)')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if args.threads is not None:
        os.environ['OMP_NUM_THREADS'] = str(args.threads)
    import torch
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    from mmderain.benchmark import (BenchContext, check_options,
                                    default_devices, format_figures,
                                    format_targets, parse_only, run_benchmarks,
                                    write_json)
    names = parse_only(args.only)
    ctx = BenchContext(
        work_dir=args.work_dir, rounds=args.rounds,
        command='python ' + ' '.join(sys.argv),
        options=check_options(args.options), quick=args.quick)
    os.makedirs(args.work_dir, exist_ok=True)
    figures, targets = run_benchmarks(ctx, names,
                                      args.device or default_devices())
    print(f'# {ctx.command}\n')
    print(format_figures(figures))
    print()
    print(format_targets(targets))
    out = args.out or osp.join(args.work_dir, 'benchmark.json')
    write_json(out, ctx.command, figures, targets)
    print(f'\nwritten: {out}')


if __name__ == '__main__':
    main()
