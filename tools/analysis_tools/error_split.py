"""Split a model's error on rainy/clean pairs into the pixels the rain
changed and the rest, and print a markdown table.

Example (the real pairs of docs/en/real_pairs_from_video.md; ``W`` the
demo's work directory)::

    python tools/analysis_tools/error_split.py \\
        $W/prenet_b4-p64_800i_rendered-mix.py $W/iter_800.pth \\
        'data/real_video_pairs/rain-*.png' --gt '{dir}/no{name}' \\
        --center-crop 512 --device cpu
"""
import argparse
import os.path as osp


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Error of a de-raining model inside and outside the '
        'pixels the rain changed')
    parser.add_argument('config', help='model config')
    parser.add_argument('checkpoint', help='checkpoint')
    parser.add_argument('inputs',
                        nargs='+',
                        help='rainy images: files, folders or glob patterns')
    parser.add_argument(
        '--gt',
        required=True,
        help='ground-truth folder or template, e.g. "{dir}/no{name}"')
    parser.add_argument('--center-crop',
                        type=int,
                        help='score the central SIZE x SIZE region only')
    parser.add_argument(
        '--threshold',
        type=float,
        default=10.0,
        help='Y grey levels by which the input must differ from the ground '
        'truth for a pixel to count as changed by the rain')
    parser.add_argument(
        '--by-change',
        action='store_true',
        help='also print, per size of the output\'s change of a pixel, its '
        'share of the pixels and of the change in MSE (mean over images)')
    parser.add_argument('--device', help='default: cuda if any')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    from mmderain.analysis import (error_split_report, mean_change_rows,
                                   mean_row)
    from mmderain.apis import list_images

    inputs = [path for spec in args.inputs for path in list_images(spec)]
    rows = error_split_report(inputs, (args.config, args.checkpoint),
                              args.gt,
                              crop=args.center_crop,
                              threshold=args.threshold,
                              device=args.device,
                              by_change=args.by_change)
    print(f'MSE (Y) inside the pixels where |input - gt| > '
          f'{args.threshold:g} and outside, per pixel of the image')
    print('| image | changed | PSNR input -> output | MSE changed '
          '| MSE rest | mean shift rest |')
    print('|---|---|---|---|---|---|')
    for row in rows + [mean_row(rows)]:
        print(f'| {osp.basename(row["name"])} '
              f'| {100 * row["changed_fraction"]:.1f}% '
              f'| {row["input_psnr"]:.2f} -> {row["output_psnr"]:.2f} '
              f'| {row["input_mse_changed"]:.2f} -> '
              f'{row["output_mse_changed"]:.2f} '
              f'| {row["input_mse_rest"]:.2f} -> {row["output_mse_rest"]:.2f} '
              f'| {row["mean_shift"]:+.2f} |')

    if args.by_change:
        print_change_table(mean_change_rows([r['by_change'] for r in rows]))


def print_change_table(rows: list) -> None:
    print('\nBy |Y(output) - Y(input)| per pixel (mean over images): share '
          'of the pixels, share of them changed toward the ground truth, '
          'and change of the MSE (negative helps)')
    print('| pixels | change | share | toward gt | MSE change |')
    print('|---|---|---|---|---|')
    for row in rows:
        high = '' if row['high'] == float('inf') else f'{row["high"]:g}'
        toward = row['toward'] / row['share'] if row['share'] else 0.
        print(f'| {row["region"]} | [{row["low"]:g}, {high}) '
              f'| {100 * row["share"]:.2f}% | {100 * toward:.0f}% '
              f'| {row["delta_mse"]:+.3f} |')


if __name__ == '__main__':
    main()
