"""Evaluate a checkpoint on a config's test sets, as mmagic's tools/test.py."""
import argparse
import os
import os.path as osp
import sys

from mmengine.config import DictAction
from mmengine.runner import Runner

from mmderain.engine.hooks import WeightMismatchError
from mmderain.utils import CheckpointRefusedError
from mmderain.utils.renamed_configs import RenamedConfigError


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test a de-raining model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--work-dir', help='the dir to save logs and results')
    parser.add_argument(
        '--out', help='also write the test metrics to this JSON file')
    parser.add_argument(
        '--allow-partial-load',
        action='store_true',
        help='score the checkpoint even if some of its weights do not fit '
        'the model (by default a missing, unexpected or size-mismatched key '
        'is an error)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, key=value pairs')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def main() -> None:
    args = parse_args()
    import mmderain.apis as apis

    cfg = apis.build_test_cfg(
        args.config,
        args.checkpoint,
        work_dir=args.work_dir,
        out=args.out,
        launcher=args.launcher,
        cfg_options=args.cfg_options,
        strict=not args.allow_partial_load)
    runner = Runner.from_cfg(cfg)
    runner.test()


if __name__ == '__main__':
    try:
        main()
    except (CheckpointRefusedError, RenamedConfigError,
            WeightMismatchError) as err:
        # The message names the file and the reason; a traceback through
        # mmengine's loader would only hide it.
        sys.exit(f'{osp.basename(__file__)}: {err}')
