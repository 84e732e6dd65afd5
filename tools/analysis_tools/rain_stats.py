"""Compare the rain of pairs with rendered rain: statistics side by side.

    python tools/analysis_tools/rain_stats.py data/RainTrainL \
        --id-range 1 158 --presets rain100l --out-dir work_dirs/rain_stats
    python tools/analysis_tools/rain_stats.py data/RainTrainH \
        --presets rain100h --out-dir work_dirs/rain_stats_h

Reads the pairs of a Rain100-layout folder (``rain-N`` / ``norain-N``: a
public synthetic set such as RainTrainL / RainTrainH, or real pairs made
from video), renders each preset over the same clean images, prints a
Markdown table of the rain-layer statistics (mmderain.evaluation.rain_stats;
a preset's cell is marked ``*`` where its mean is outside the pairs' mean ±
std) and writes ``rain_stats.md``, ``rain_stats.json`` and
``rain_layers.png`` (rows: pairs; columns: the pair's rainy image and rain
layer, then each preset's rainy image and rain layer; layers shown as
0.5 + 3 x layer) into the output folder.
"""
import argparse
import json
import os
import os.path as osp

import cv2


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Statistics of the rain layers of pairs and of '
        'rendered rain')
    parser.add_argument('data_root', help='folder of rain-N/norain-N '
                        'pairs (any layout Rain100Dataset reads)')
    parser.add_argument(
        '--presets',
        nargs='+',
        default=['rain100l'],
        help='renderer presets to compare with the pairs')
    parser.add_argument(
        '--name',
        help='name of the pairs\' column (default: the folder name)')
    parser.add_argument(
        '--id-range',
        nargs=2,
        type=int,
        help='inclusive range of pair ids to read (default: all)')
    parser.add_argument(
        '--num-images', type=int, help='read at most this many pairs')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out-dir', default='work_dirs/rain_stats')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    import mmderain  # noqa: F401
    from mmagic.registry import DATASETS
    from mmderain.evaluation.rain_stats import (compare_pairs_and_rendered,
                                                format_table)

    dataset = DATASETS.build(
        dict(
            type='Rain100Dataset',
            data_root=args.data_root,
            id_range=args.id_range,
            test_mode=True,
            pipeline=[]))
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    pairs = [(info['img_path'], info['gt_path'])
             for info in infos][:args.num_images]
    name = args.name or osp.basename(osp.normpath(args.data_root))
    summaries, picture = compare_pairs_and_rendered(
        pairs, args.presets, seed=args.seed, pairs_name=name)
    table = format_table(
        summaries, {source: len(pairs)
                    for source in summaries},
        reference=name)
    print(table)
    os.makedirs(args.out_dir, exist_ok=True)
    with open(osp.join(args.out_dir, 'rain_stats.md'), 'w') as f:
        f.write(table + '\n')
    with open(osp.join(args.out_dir, 'rain_stats.json'), 'w') as f:
        json.dump(summaries, f, indent=2)
    picture_path = osp.join(args.out_dir, 'rain_layers.png')
    cv2.imwrite(picture_path, cv2.cvtColor(picture, cv2.COLOR_RGB2BGR))
    print(f'wrote {args.out_dir}/rain_stats.{{md,json}} and {picture_path}')


if __name__ == '__main__':
    main()
