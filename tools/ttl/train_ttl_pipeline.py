"""Train the four stages of Task Transfer Learning in order.

    python tools/ttl/train_ttl_pipeline.py \
        configs/ttl/aglf-vit_ttl-derain_demo_embedded.py \
        --work-dir work_dirs/ttl_demo

Trains recognition, reconstruction, distillation and fine-tuning (the stages
named in the config's ``ttl_stages``, then the config itself), each in
``<work-dir>/<stage>``, handing every stage the checkpoints it needs.
"""
import argparse
import json

from mmengine.config import DictAction


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Train all TTL stages of a fine-tuning config in order')
    parser.add_argument('config', help='TTL fine-tuning config (ttl_stages)')
    parser.add_argument(
        '--work-dir',
        default='./work_dirs/ttl_pipeline',
        help='root work directory; each stage gets a sub-directory')
    parser.add_argument(
        '--test',
        action='store_true',
        help='test the fine-tuned model on the config\'s test sets')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='overrides for every stage, e.g. train_cfg.max_iters=10')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    from mmderain.experiments import run_ttl_pipeline

    metrics = run_ttl_pipeline(
        args.config, args.work_dir, args.cfg_options, test=args.test)
    print(json.dumps(metrics, indent=2))


if __name__ == '__main__':
    main()
