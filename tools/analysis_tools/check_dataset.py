"""Decode every image of a dataset and list what is bad, before training.

    python tools/analysis_tools/check_dataset.py data/RainTrainL
    python tools/analysis_tools/check_dataset.py data/Rain800/training \
        --type Rain800Dataset
    python tools/analysis_tools/check_dataset.py \
        configs/nr/prenet_nr_demo_rendered_seq.py

A folder is read by the dataset class of its layout (or ``--type``); a
config (``.py``) by the datasets its train, task, val and test dataloaders
build. Every file is decoded (the datasets' build-time check only reads
headers), and the summary gives the pairs checked, each bad file with the
reason, each size mismatch with both files, and the time taken. Exits 1
when anything is bad or a dataset cannot be built.
"""
import argparse
import sys

from mmengine.config import DictAction


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Fully decode the images of datasets and list the bad '
        'ones')
    parser.add_argument(
        'sources',
        nargs='+',
        metavar='CONFIG_OR_FOLDER',
        help='config files (.py) and dataset folders')
    parser.add_argument(
        '--type',
        dest='dataset_type',
        help='dataset class of the folders, e.g. Rain800Dataset (default: '
        'told by the folder layout)')
    parser.add_argument(
        '--dataset-options',
        nargs='+',
        action=DictAction,
        default={},
        help='more arguments of the folders\' dataset class, key=value '
        'pairs (e.g. rainy_half=left)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the configs, key=value pairs')
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    from mmderain.datasets.check_dataset import run_check

    summary, passed = run_check(
        args.sources,
        dataset_type=args.dataset_type,
        dataset_options=args.dataset_options,
        cfg_options=args.cfg_options)
    print(summary)
    return 0 if passed else 1


if __name__ == '__main__':
    sys.exit(main())
