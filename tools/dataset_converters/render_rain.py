"""Render datasets of our rendered rain to disk in the Rain100 layout.

Writes ``<out>/<preset>/{train,test}/rainy/rain-001.png`` and
``<out>/<preset>/{train,test}/norain-001.png``, which ``Rain100Dataset``
reads, so a rendered set can be inspected and trained on like a downloaded
one. Example::

    python tools/dataset_converters/render_rain.py data/rendered \
        --presets rain100h rain100l --num-train 200 --num-test 32
"""
import argparse
import sys

from mmderain.datasets import render_rain_split
from mmderain.datasets.transforms.rain_renderer import RAIN_PRESETS


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Render rain datasets in the Rain100 layout.')
    parser.add_argument('out', help='output root folder')
    parser.add_argument(
        '--presets',
        nargs='+',
        default=list(RAIN_PRESETS),
        choices=list(RAIN_PRESETS),
        help='rain presets to render (default: all)')
    parser.add_argument(
        '--splits',
        nargs='+',
        default=['train', 'test'],
        choices=['train', 'test'],
        help='splits to render (default: both)')
    parser.add_argument(
        '--num-train', type=int, default=200, help='training pairs')
    parser.add_argument('--num-test', type=int, default=32, help='test pairs')
    parser.add_argument(
        '--train-size', type=int, default=256, help='training image size')
    parser.add_argument(
        '--test-size', type=int, default=128, help='test image size')
    parser.add_argument(
        '--clean-source',
        default='embedded',
        help="'embedded' (photos shipped with installed packages) or a "
        'folder of clean images')
    parser.add_argument('--seed', type=int, default=0, help='rendering seed')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='write into folders that already hold files')
    args = parser.parse_args()
    for name in ('num_train', 'num_test', 'train_size', 'test_size'):
        if getattr(args, name) < 1:
            parser.error(f'--{name.replace("_", "-")} must be >= 1')
    return args


def main() -> None:
    args = parse_args()
    for preset in args.presets:
        for split in args.splits:
            train = split == 'train'
            try:
                out_dir = render_rain_split(
                    args.out,
                    preset,
                    split,
                    num_samples=args.num_train if train else args.num_test,
                    img_size=args.train_size if train else args.test_size,
                    seed=args.seed,
                    clean_source=args.clean_source,
                    overwrite=args.overwrite)
            except (FileExistsError, FileNotFoundError, ValueError) as error:
                sys.exit(f'error: {error}')
            print(f'{preset}/{split}: wrote '
                  f'{args.num_train if train else args.num_test} pairs to '
                  f'{out_dir}')


if __name__ == '__main__':
    main()
