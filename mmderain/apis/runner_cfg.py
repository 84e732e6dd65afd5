"""Turn command-line options of the train/test tools into a runner config.

The tools in ``tools/`` stay thin wrappers; everything they decide lives here
so that it is tested and reusable from Python.
"""
import os
import os.path as osp
from typing import Optional, Union

import torch
import torch.distributed as dist
from mmengine.config import Config
from mmengine.optim import AmpOptimWrapper

from mmagic.registry import OPTIM_WRAPPERS


def default_work_dir(config_path: str) -> str:
    """``./work_dirs/<config name>``, mmagic's default work directory."""
    return osp.join('./work_dirs', osp.splitext(osp.basename(config_path))[0])


def enable_amp(cfg: Config) -> None:
    """Switch ``cfg.optim_wrapper`` to its mixed-precision counterpart.

    ``OptimWrapper`` becomes mmengine's ``AmpOptimWrapper``; a wrapper class
    that names its counterpart in an ``amp_type`` attribute (e.g. a masked
    wrapper) becomes that class, so ``--amp`` keeps the wrapper's behaviour.

    Raises:
        ValueError: If the configured wrapper has no known AMP counterpart.
    """
    wrapper_type = cfg.optim_wrapper.get('type', 'OptimWrapper')
    wrapper_cls = (
        OPTIM_WRAPPERS.get(wrapper_type)
        if isinstance(wrapper_type, str) else wrapper_type)
    if wrapper_cls is None:
        raise ValueError(
            f'optim_wrapper.type={wrapper_type!r} is not registered in '
            'OPTIM_WRAPPERS.')
    if issubclass(wrapper_cls, AmpOptimWrapper):
        return
    amp_type = getattr(wrapper_cls, 'amp_type', None)
    if amp_type is None and wrapper_cls.__name__ == 'OptimWrapper':
        amp_type = 'AmpOptimWrapper'
    if amp_type is None:
        raise ValueError(
            f'--amp: optim_wrapper.type={wrapper_cls.__name__} has no '
            'mixed-precision counterpart (set an `amp_type` class attribute '
            'naming one).')
    cfg.optim_wrapper.type = amp_type
    cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')


def setup_cpu_distributed(cfg: Config) -> None:
    """Start a gloo process group when distributed training has no GPU.

    mmengine 0.10.7's ``pytorch`` launcher calls ``torch.cuda.set_device``,
    which fails on machines without a GPU. Initializing gloo here (from the
    ``torchrun`` environment variables) makes the Runner skip its own
    initialization; DDP then needs ``device_ids=None`` and no buffer
    broadcasting across CPU processes.
    """
    if torch.cuda.is_available() or cfg.get('launcher', 'none') == 'none':
        return
    if not dist.is_initialized():
        dist.init_process_group(backend='gloo')
    wrapper_cfg = cfg.get('model_wrapper_cfg', None) or dict(
        type='MMDistributedDataParallel')
    wrapper_cfg.update(broadcast_buffers=False, device_ids=None)
    cfg.model_wrapper_cfg = wrapper_cfg
    torch.set_num_threads(int(os.environ.get('OMP_NUM_THREADS', '1')))


def build_train_cfg(config: str,
                    work_dir: Optional[str] = None,
                    resume: Union[bool, str, None] = None,
                    amp: bool = False,
                    launcher: str = 'none',
                    cfg_options: Optional[dict] = None) -> Config:
    """Load a training config and apply the train tool's options.

    Args:
        config (str): Path of the config file.
        work_dir (str, optional): Overrides ``cfg.work_dir``; by default the
            config's own, else ``./work_dirs/<config name>``.
        resume (bool | str, optional): ``'auto'`` or True resumes from the
            latest checkpoint in the work directory; a path resumes from it.
        amp (bool): Use mixed precision (see :func:`enable_amp`).
        launcher (str): ``'none'``, ``'pytorch'``, ``'slurm'`` or ``'mpi'``.
        cfg_options (dict, optional): ``--cfg-options`` overrides.

    Returns:
        Config: The config to pass to ``Runner.from_cfg``.
    """
    if not osp.isfile(config):
        raise FileNotFoundError(f'Config file not found: {config}')
    cfg = Config.fromfile(config)
    cfg.launcher = launcher
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = default_work_dir(config)
    if amp:
        enable_amp(cfg)
    if resume in (True, 'auto'):
        cfg.resume = True
        cfg.load_from = None
    elif resume:
        if not osp.isfile(resume):
            raise FileNotFoundError(f'--resume checkpoint not found: {resume}')
        cfg.resume = True
        cfg.load_from = resume
    setup_cpu_distributed(cfg)
    return cfg


def build_test_cfg(config: str,
                   checkpoint: str,
                   work_dir: Optional[str] = None,
                   out: Optional[str] = None,
                   launcher: str = 'none',
                   cfg_options: Optional[dict] = None) -> Config:
    """Load a config for testing ``checkpoint`` and apply the test options.

    Args:
        config (str): Path of the config file.
        checkpoint (str): Checkpoint to evaluate.
        work_dir (str, optional): Where logs and results go.
        out (str, optional): JSON file to write the test metrics to
            (adds a ``DumpMetricsHook``).
        launcher (str): Distributed launcher. Default: ``'none'``.
        cfg_options (dict, optional): ``--cfg-options`` overrides.

    Returns:
        Config: The config to pass to ``Runner.from_cfg``.
    """
    if not osp.isfile(checkpoint):
        raise FileNotFoundError(f'Checkpoint not found: {checkpoint}')
    cfg = build_train_cfg(
        config,
        work_dir=work_dir,
        launcher=launcher,
        cfg_options=cfg_options)
    cfg.load_from = checkpoint
    cfg.resume = False
    if out is not None:
        cfg.custom_hooks = list(cfg.get('custom_hooks', None) or []) + [
            dict(type='DumpMetricsHook', out_file=out)
        ]
    return cfg
