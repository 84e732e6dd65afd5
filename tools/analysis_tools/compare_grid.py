"""Draw a side-by-side comparison of de-raining methods, saved as an image.

Columns: the rainy input, each ``--method`` and the ground truth (with
``--gt``); one row per input image with a box on it, and below it the boxed
region enlarged. A method is a folder of outputs (as ``tools/derain.py``
writes them, same file names) or a config and checkpoint to run.

Example::

    python tools/analysis_tools/compare_grid.py \\
        data/RainTrainL/rain-160.png data/RainTrainL/rain-181.png \\
        --method real=work_dirs/real/cfg.py,work_dirs/real/iter_1200.pth \\
        --method mixed=work_dirs/derained_mixed \\
        --gt 'data/RainTrainL/no{name}' --box 40,60,80,80 --out grid.png

``--out grid.jpg --jpeg-quality 80`` writes a compressed figure to commit.
"""
import argparse

import cv2
import mmcv


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Comparison grid of de-raining results')
    parser.add_argument('inputs',
                        nargs='+',
                        help='rainy images: files, folders or glob patterns')
    parser.add_argument('--method',
                        action='append',
                        required=True,
                        help='LABEL=FOLDER (outputs named as the inputs) or '
                        'LABEL=CONFIG,CHECKPOINT; repeat for each column')
    parser.add_argument(
        '--gt',
        help='ground-truth folder (same file names), or a template with '
        '{name} / {stem} / {dir} of the input file, e.g. '
        '"data/RainTrainL/no{name}", or "{dir}/no{name}" for inputs from '
        'several folders')
    parser.add_argument(
        '--box',
        help='zoomed region x,y,width,height in input pixels (default: per '
        'image, the square the first method changed most)')
    parser.add_argument(
        '--center-crop',
        type=int,
        help='cut the central SIZE x SIZE region of every image first (a '
        'large frame\'s rain at its own scale); shorter sides stay whole')
    parser.add_argument('--out',
                        required=True,
                        help='output image (.png, or .jpg for a figure to '
                        'commit)')
    parser.add_argument('--jpeg-quality',
                        type=int,
                        default=95,
                        help='JPEG quality 1-100 when --out is a .jpg')
    parser.add_argument('--panel-width',
                        type=int,
                        default=320,
                        help='panel width, pixels')
    parser.add_argument('--input-label', default='Rainy input')
    parser.add_argument('--gt-label', default='Ground truth')
    parser.add_argument('--device',
                        default=None,
                        help='for models (default: cuda if any)')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if not 1 <= args.jpeg_quality <= 100:
        raise SystemExit(
            f'--jpeg-quality must be in 1-100, got {args.jpeg_quality}')
    from mmderain.apis import list_images
    from mmderain.analysis import compare_grid, parse_box, parse_method

    inputs = [path for spec in args.inputs for path in list_images(spec)]
    figure = compare_grid(inputs, [parse_method(spec) for spec in args.method],
                          gt_dir=args.gt,
                          box=parse_box(args.box) if args.box else None,
                          input_label=args.input_label,
                          gt_label=args.gt_label,
                          device=args.device,
                          crop=args.center_crop,
                          panel_width=args.panel_width)
    if not mmcv.imwrite(figure, args.out,
                        [cv2.IMWRITE_JPEG_QUALITY, args.jpeg_quality]):
        raise OSError(f'Cannot write {args.out}')
    print(f'Saved {args.out} ({figure.shape[1]}x{figure.shape[0]} pixels)')


if __name__ == '__main__':
    main()
