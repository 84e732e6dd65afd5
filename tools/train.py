"""Train a model from a config, as mmagic's tools/train.py does."""
import argparse
import os
import os.path as osp
import sys

from mmengine.config import DictAction
from mmengine.runner import Runner

from mmderain.apis.runner_cfg import ToolOptionError
from mmderain.engine.hooks import WeightMismatchError
from mmderain.utils import CheckpointRefusedError, FileWriteError
from mmderain.utils.renamed_configs import RenamedConfigError


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train a de-raining model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint, or without a value from the '
        'latest checkpoint in the work directory')
    parser.add_argument(
        '--amp', action='store_true', help='enable mixed-precision training')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, key=value pairs such as '
        '`train_dataloader.batch_size=4`')
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

    cfg = apis.build_train_cfg(
        args.config,
        work_dir=args.work_dir,
        resume=args.resume,
        amp=args.amp,
        launcher=args.launcher,
        cfg_options=args.cfg_options)
    runner = Runner.from_cfg(cfg)
    runner.train()


if __name__ == '__main__':
    try:
        main()
    except (CheckpointRefusedError, FileWriteError, FloatingPointError,
            PermissionError, RenamedConfigError, ToolOptionError,
            WeightMismatchError) as err:
        # The message names the file, iteration or folder and what to do; a
        # traceback through mmengine would only hide it.
        sys.exit(f'{osp.basename(__file__)}: {err}')
