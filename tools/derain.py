"""De-rain an image, a folder of images or a glob of images.

Results keep the input file names. Images above one megapixel run in
overlapping tiles (``--tile``) so that memory stays bounded. An image that
cannot be read, de-rained or written is reported and the others still run;
the batch stops early when the output folder refuses writes or keeps
being full. Either way the exit status is then 1, and
``--skip-existing`` resumes the batch where it stopped. Overwritten
earlier results are counted at the start.

Example::

    python tools/derain.py configs/prenet/prenet_b4-p64_800i_rendered-mix.py \\
        work_dirs/prenet_b4-p64_800i_rendered-mix/iter_800.pth \\
        'data/real_rainy_photos/*.jpg' --out work_dirs/derained

An exported ``.onnx`` file in place of the checkpoint runs on onnxruntime
with the same tiling.
"""
import argparse
import sys

from mmengine.config import DictAction

from mmderain.apis.tiling import DEFAULT_TILE, DEFAULT_TILE_OVERLAP


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='De-rain images')
    parser.add_argument('config', help='model config file')
    parser.add_argument(
        'checkpoint',
        help='checkpoint file, or an .onnx file of '
        'tools/deployment/pytorch2onnx.py to run with onnxruntime')
    parser.add_argument(
        'input', help='an image file, a folder of images or a glob pattern')
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument(
        '--device',
        default=None,
        help='e.g. cpu, cuda, cuda:1 (default: cuda when available)')
    parser.add_argument(
        '--tile',
        type=int,
        default=None,
        help='largest tile size in pixels; 0 runs every image whole '
        f'(default: tiles of at most {DEFAULT_TILE} pixels for images '
        'above one megapixel)')
    parser.add_argument('--tile-overlap',
                        type=int,
                        default=DEFAULT_TILE_OVERLAP,
                        help='least overlap of neighbouring tiles in pixels')
    parser.add_argument(
        '--size-divisor',
        type=int,
        default=1,
        help='pad images to a multiple of this (e.g. 8 for Restormer)')
    parser.add_argument(
        '--skip-existing',
        action='store_true',
        help='leave out the images whose result is already in --out (to '
        'resume a batch); by default such results are overwritten')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, e.g. model.generator.num_stages=1')
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    from mmderain.apis import derain_files, init_model, list_images
    from mmderain.utils.renamed_configs import load_config

    paths = list_images(args.input)
    config = load_config(args.config)
    if args.cfg_options:
        config.merge_from_dict(args.cfg_options)
    model = init_model(config, args.checkpoint, device=args.device)
    report = derain_files(model,
                          paths,
                          args.out,
                          size_divisor=args.size_divisor,
                          tile=args.tile,
                          tile_overlap=args.tile_overlap,
                          skip_existing=args.skip_existing)
    print(f'\n{report.summary(args.out)}')
    for line in report.problems():
        print(line, file=sys.stderr)
    return 0 if report.ok else 1


if __name__ == '__main__':
    from mmderain.utils import CheckpointRefusedError, FileWriteError
    try:
        sys.exit(main())
    except (CheckpointRefusedError, FileNotFoundError, FileWriteError,
            ValueError) as error:
        # The message names the file or option; a traceback would hide it.
        sys.exit(f'derain.py: {error}')
