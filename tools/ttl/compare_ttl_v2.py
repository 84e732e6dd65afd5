"""Train and test TTL and its V2 baseline, then print a markdown table.

    python tools/ttl/compare_ttl_v2.py \
        configs/ttl/aglf-vit_ttl-derain_demo_embedded.py \
        configs/ttl/aglf-vit_v2_demo_embedded.py \
        --work-dir work_dirs/ttl_vs_v2

TTL whose recognition and distillation stages use real rainy photos
(``data/real_rainy_photos``) instead of the rendered stand-ins:

    python tools/ttl/compare_ttl_v2.py \
        configs/ttl/aglf-vit_ttl-derain_demo_realphotos.py \
        configs/ttl/aglf-vit_v2_demo_embedded.py \
        --work-dir work_dirs/ttl-realphotos_vs_v2

Any number of configs works (e.g. add the Table 3 ablations): a config with
``ttl_stages`` runs its whole TTL pipeline, any other trains alone. The
table (PSNR/SSIM on the Y channel per test set, like Table 4) is printed
and written to ``<work-dir>/comparison.md`` with the raw metrics in
``<work-dir>/comparison.json``. The demo configs also test, each when its
folder exists, on public synthetic rain (the held-out split of
``data/RainTrainL``, and ``data/RainTrainH``) and on real rain (pairs made
from a static-camera video in ``data/real_video_pairs``); a note under the
table says which were missing.
"""
import argparse
import json
import os
import os.path as osp

from mmengine.config import DictAction


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Compare TTL with V2 (and other de-raining configs)')
    parser.add_argument('configs', nargs='+', help='configs to compare')
    parser.add_argument(
        '--work-dir',
        default='./work_dirs/ttl_vs_v2',
        help='root work directory; each config gets a sub-directory')
    parser.add_argument(
        '--channel',
        choices=['Y', 'RGB'],
        default='Y',
        help='which PSNR/SSIM go in the table')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='overrides for every stage, e.g. train_cfg.max_iters=10')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    from mmderain.experiments import (comparison_notes,
                                      format_comparison_table, run_comparison)

    results = run_comparison(args.configs, args.work_dir, args.cfg_options)
    table = format_comparison_table(
        results, args.channel, comparison_notes(args.configs, results))
    os.makedirs(args.work_dir, exist_ok=True)
    with open(osp.join(args.work_dir, 'comparison.md'), 'w') as f:
        f.write(table + '\n')
    with open(osp.join(args.work_dir, 'comparison.json'), 'w') as f:
        json.dump(results, f, indent=2)
    print(table)


if __name__ == '__main__':
    main()
