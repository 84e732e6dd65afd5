"""Turn command-line options of the train/test tools into a runner config.

The tools in ``tools/`` stay thin wrappers; everything they decide lives here
so that it is tested and reusable from Python.
"""
import logging
import os
import os.path as osp
from typing import Collection, Dict, List, Mapping, Optional, Union

import torch
import torch.distributed as dist
from mmengine.config import Config
from mmengine.device import get_device
from mmengine.logging import print_log
from mmengine.optim import AmpOptimWrapper

from mmagic.engine.runner.loop_utils import is_evaluator
from mmagic.registry import OPTIM_WRAPPERS

from mmderain.datasets.dataset_folders import dataset_folders
from mmderain.engine.hooks.checkpoint_fit_hook import add_checkpoint_fit_hook
from mmderain.engine.hooks.finite_loss_hook import add_finite_loss_hook
from mmderain.utils.checkpoint import load_checkpoint_file
from mmderain.utils.paths import check_writable_dir
from mmderain.utils.renamed_configs import load_config

# The devices mmengine's AmpOptimWrapper runs on.
_AMP_DEVICES = ('cuda', 'npu', 'mlu', 'musa')
# What mmengine's Runner.resume reads besides the weights.
_RESUME_KEYS = ('meta.epoch', 'meta.iter', 'message_hub')
# Keys of an optional evaluation loader that mmengine's DataLoader refuses.
_OPTIONAL_KEYS = ('optional_name', 'optional_hint')


class ToolOptionError(ValueError):
    """An option of the train/test tools cannot be honoured; the message
    names the option and what is wrong."""


def check_amp_device() -> None:
    """Check that this machine can train with ``--amp``.

    Raises:
        ToolOptionError: When there is no device for mmengine's
            ``AmpOptimWrapper`` (which would fail with a bare assertion).
    """
    if get_device() not in _AMP_DEVICES:
        raise ToolOptionError(
            '--amp needs a CUDA GPU (or an NPU, MLU or MUSA device), and '
            'torch finds none on this machine; train without --amp.')


def check_resume_checkpoint(filename: str) -> None:
    """Check that ``filename`` is a checkpoint a training run saved.

    Args:
        filename (str): The ``--resume`` file.

    Raises:
        CheckpointRefusedError: The file is missing, unreadable or unsafe.
        ToolOptionError: It lacks the training state ``Runner.resume``
            reads (``meta.epoch``, ``meta.iter``, ``message_hub``), e.g. a
            bare state dict or released weights.
    """
    checkpoint = load_checkpoint_file(filename, map_location='cpu')
    if not isinstance(checkpoint, dict):
        checkpoint = {}
    meta = checkpoint.get('meta', None)
    found = set(checkpoint) | {
        f'meta.{key}'
        for key in (meta if isinstance(meta, dict) else ())
    }
    lacking = [key for key in _RESUME_KEYS if key not in found]
    if lacking:
        raise ToolOptionError(
            f'--resume {filename}: not a training checkpoint (it has no '
            f'{", ".join(lacking)}; a bare state dict or released weights?). '
            '--resume continues a run from a checkpoint tools/train.py '
            'saved; to start training from these weights use '
            f'`--cfg-options load_from={filename}`.')


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


def _loader_list(loaders) -> list:
    if isinstance(loaders, dict):
        return [loaders]
    return list(loaders) if isinstance(loaders, (list, tuple)) else []


def optional_eval_sets(cfg: Config) -> Dict[str, List[str]]:
    """The optional evaluation sets of a config and the folders they read.

    An evaluation dataloader (an item of a ``val_dataloader`` /
    ``test_dataloader`` list, or the dataloader itself) is optional when it
    carries an ``optional_name`` key: the set's name in metric prefixes. An
    ``optional_hint`` key may say how to get the data (e.g. the command that
    makes it); the messages about a missing folder then give it instead of
    the advice to link the data there.

    Args:
        cfg (Config): The config.

    Returns:
        dict[str, list[str]]: Set name -> its data folders.
    """
    sets = {}
    for split in ('val', 'test'):
        for loader in _loader_list(cfg.get(f'{split}_dataloader', None)):
            if 'optional_name' in loader:
                sets[loader['optional_name']] = dataset_folders(
                    loader.get('dataset', {}))
    return sets


def _optional_hints(cfg: Config) -> Dict[str, str]:
    """Set name -> ``optional_hint`` of the optional sets that have one."""
    return {
        loader['optional_name']: loader['optional_hint']
        for split in ('val', 'test')
        for loader in _loader_list(cfg.get(f'{split}_dataloader', None))
        if 'optional_name' in loader and loader.get('optional_hint')
    }


def _missing_folder(loader: dict) -> Optional[str]:
    return next((folder
                 for folder in dataset_folders(loader.get('dataset', {}))
                 if not osp.isdir(folder)), None)


def _sequence_eval_hooks(cfg: Config) -> list:
    # The sequence configs set it in default_hooks; custom_hooks may too.
    # A default hook of None is one removed from mmengine's defaults.
    candidates = list((cfg.get('default_hooks', None) or {}).values())
    candidates += cfg.get('custom_hooks', None) or []
    hooks = []
    for hook in candidates:
        if hook is None:
            continue
        hook_type = hook.get('type')
        # A type is a registry name, maybe scoped ('mmagic.X'), or a class.
        name = getattr(hook_type, '__name__', str(hook_type))
        if name.split('.')[-1] == 'SequenceEvalHook':
            hooks.append(hook)
    return hooks


def drop_missing_optional_sets(cfg: Config) -> List[str]:
    """Leave out the optional evaluation sets whose data is missing.

    For ``val`` and ``test``, every dataloader with an ``optional_name``
    key (see :func:`optional_eval_sets`) whose data folder does not exist
    is removed, together with the evaluator at the same position of the
    ``val_evaluator`` / ``test_evaluator`` list and the set's name in the
    ``extra_sets`` of any ``SequenceEvalHook`` in ``default_hooks`` or
    ``custom_hooks``; a warning names the set, the missing folder and how
    to add it (the loader's ``optional_hint`` where it has one). Present
    optional loaders only lose the ``optional_name`` and ``optional_hint``
    keys, which mmengine's DataLoader does not accept. When no loader of a
    split is left, the split's dataloader, evaluator and loop config become
    None (no evaluation of that split).

    Args:
        cfg (Config): The config, changed in place.

    Returns:
        list[str]: Names of the sets left out.

    Raises:
        ValueError: An optional set is a task set of a ``SequenceEvalHook``.
    """
    eval_hooks = _sequence_eval_hooks(cfg)
    for name in optional_eval_sets(cfg):
        # Column j of the matrix must be task j's test set: a task's own
        # test set cannot go missing without shifting every later task.
        if any(name in hook.get('task_sets', ()) for hook in eval_hooks):
            raise ValueError(
                f'The evaluation set {name!r} has an optional_name but is a '
                'task set of a SequenceEvalHook; only held-out sets '
                '(extra_sets) can be optional.')
    dropped = []
    for split in ('val', 'test'):
        loaders = cfg.get(f'{split}_dataloader', None)
        if not any('optional_name' in loader
                   for loader in _loader_list(loaders)):
            continue
        single = isinstance(loaders, dict)
        evaluators = cfg.get(f'{split}_evaluator', None)
        # mmagic's MultiValLoop/MultiTestLoop take one evaluator per
        # dataloader, or one evaluator (a list of metrics) for all of them.
        per_loader = (not single and isinstance(evaluators, (list, tuple))
                      and not is_evaluator(evaluators))
        if per_loader and len(evaluators) != len(loaders):
            raise ValueError(
                f'{split}_evaluator has {len(evaluators)} evaluators for '
                f'{len(loaders)} dataloaders.')
        kept_loaders, kept_evaluators = [], []
        for index, loader in enumerate(_loader_list(loaders)):
            name = loader.get('optional_name')
            missing = None if name is None else _missing_folder(loader)
            if missing is not None:
                if name not in dropped:
                    dropped.append(name)
                    hint = loader.get('optional_hint') or (
                        'To evaluate on it, put or link the data there (e.g. '
                        '`ln -s /path/to/'
                        f'{osp.basename(osp.normpath(missing))} {missing}`; '
                        'see docs/en/datasets.md).')
                    print_log(
                        f'Evaluation set "{name}" is left out: its data '
                        f'folder "{missing}" does not exist. {hint}',
                        logger='current',
                        level=logging.WARNING)
                for hook in eval_hooks:
                    if name in hook.get('extra_sets', ()):
                        hook['extra_sets'] = [
                            s for s in hook['extra_sets'] if s != name
                        ]
                continue
            kept_loaders.append({
                k: v
                for k, v in loader.items() if k not in _OPTIONAL_KEYS
            })
            if per_loader:
                kept_evaluators.append(evaluators[index])
        if not kept_loaders:
            cfg[f'{split}_dataloader'] = None
            cfg[f'{split}_evaluator'] = None
            cfg[f'{split}_cfg'] = None
            continue
        cfg[f'{split}_dataloader'] = (
            kept_loaders[0] if single else kept_loaders)
        if per_loader:
            cfg[f'{split}_evaluator'] = kept_evaluators
    return dropped


def missing_set_notes(configs: Mapping[str, str],
                      evaluated: Mapping[str, Collection[str]]) -> List[str]:
    """Say which optional evaluation sets some runs were not evaluated on,
    and why.

    For result tables. A run lacks an optional set (see
    :func:`optional_eval_sets`) declared by some run's config because:

    - its own config declares no such set (nothing to fix);
    - the set's data folder is missing now, so it was when the run ran
      (:func:`drop_missing_optional_sets` left the set out);
    - its config declares the set and the folder exists now: the run
      predates the set (the folder was added, or the set was added to the
      config, after it ran).

    Args:
        configs (Mapping[str, str]): Run label -> config file.
        evaluated (Mapping[str, Collection[str]]): Run label -> names of the
            sets it was evaluated on.

    Returns:
        list[str]: One line per optional set and cause that some runs
        lack, naming the runs, and the set's data folder where it matters.
    """
    loaded = {label: Config.fromfile(config)
              for label, config in configs.items()}
    declared = {label: optional_eval_sets(cfg)
                for label, cfg in loaded.items()}
    hints = {}
    for cfg in loaded.values():
        hints.update(_optional_hints(cfg))
    names = list(dict.fromkeys(name for sets in declared.values()
                               for name in sets))
    notes = []
    for name in names:
        lacking = [
            label for label, sets in evaluated.items() if name not in sets
        ]
        undeclared = [label for label in lacking
                      if name not in declared.get(label, {})]
        missing: Dict[str, List[str]] = {}
        predating: Dict[str, List[str]] = {}
        for label in lacking:
            folders = declared.get(label, {}).get(name)
            if folders is None:
                continue
            absent = [f for f in folders if not osp.isdir(f)]
            group = missing if absent else predating
            group.setdefault(', '.join(absent or folders), []).append(label)
        if undeclared:
            having = [label for label in declared if name in declared[label]]
            whose = (f'the config of {having[0]} does' if len(having) == 1
                     else f'the configs of {", ".join(having)} do')
            notes.append(
                f'{name} was not evaluated in {", ".join(undeclared)}: its '
                f'config declares no such set (only {whose}).')
        todo = (f'{hints[name]} Rerun to get its column.' if name in hints
                else 'Link the data there (see docs/en/datasets.md) and '
                'rerun to get its column.')
        for folders, labels in missing.items():
            notes.append(
                f'{name} was not evaluated in {", ".join(labels)}: its data '
                f'folder {folders} is missing. {todo}')
        for folders, labels in predating.items():
            notes.append(
                f'{name} was not evaluated in {", ".join(labels)}, although '
                f'the config declares it and its data folder {folders} '
                'exists now: the run predates the set (the folder was '
                'missing, or the config lacked the set, when it ran). '
                'Rerun to get its column.')
    return notes


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


def apply_tensorboard_switch(cfg: Config) -> None:
    """Add a ``TensorboardVisBackend`` to the visualizer when the config
    sets ``tensorboard = True`` (off in configs/_base_/default_runtime.py).

    Raises:
        ImportError: When TensorBoard is not installed, saying how to get it.
    """
    if not cfg.get('tensorboard', False):
        return
    try:
        import tensorboard  # noqa: F401
    except ImportError as e:
        raise ImportError(
            'The config sets tensorboard=True, but TensorBoard is not '
            'installed: `pip install tensorboard`, or set tensorboard=False.'
        ) from e
    visualizer = cfg.get('visualizer', None)
    if visualizer is None:
        raise KeyError('The config sets tensorboard=True but has no '
                       '`visualizer` to add the TensorBoard backend to.')
    backends = list(visualizer.get('vis_backends', None) or [])
    if not any(b.get('type') == 'TensorboardVisBackend' for b in backends):
        backends.append(dict(type='TensorboardVisBackend'))
    visualizer.vis_backends = backends


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
        Config: The config to pass to ``Runner.from_cfg``. Its
        ``CheckpointFitHook`` refuses a ``load_from`` or resumed checkpoint
        of which no weight fits the model.

    Raises:
        ToolOptionError: ``amp`` without a GPU (:func:`check_amp_device`),
            or a ``resume`` file that is not a training checkpoint
            (:func:`check_resume_checkpoint`).
    """
    cfg = load_config(config)
    cfg.launcher = launcher
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    # After the overrides, which may point a set at another folder.
    drop_missing_optional_sets(cfg)
    apply_tensorboard_switch(cfg)
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = default_work_dir(config)
    if amp:
        check_amp_device()
        enable_amp(cfg)
    if resume in (True, 'auto'):
        cfg.resume = True
        cfg.load_from = None
    elif resume:
        if not osp.isfile(resume):
            raise FileNotFoundError(f'--resume checkpoint not found: {resume}')
        check_resume_checkpoint(resume)
        cfg.resume = True
        cfg.load_from = resume
    check_writable_dir(cfg.work_dir)
    add_finite_loss_hook(cfg)
    # Fine-tuning may take a part of a model, but not nothing of it.
    add_checkpoint_fit_hook(cfg, strict=False)
    setup_cpu_distributed(cfg)
    return cfg


def build_test_cfg(config: str,
                   checkpoint: str,
                   work_dir: Optional[str] = None,
                   out: Optional[str] = None,
                   launcher: str = 'none',
                   cfg_options: Optional[dict] = None,
                   strict: bool = True) -> Config:
    """Load a config for testing ``checkpoint`` and apply the test options.

    Args:
        config (str): Path of the config file.
        checkpoint (str): Checkpoint to evaluate.
        work_dir (str, optional): Where logs and results go.
        out (str, optional): JSON file to write the test metrics to
            (adds a ``DumpMetricsHook``).
        launcher (str): Distributed launcher. Default: ``'none'``.
        cfg_options (dict, optional): ``--cfg-options`` overrides.
        strict (bool): Refuse a checkpoint whose weights do not all fit the
            model (missing, unexpected or size-mismatched keys), so that no
            score comes from partly random weights; False scores a partial
            load (``tools/test.py --allow-partial-load``). Default: True.

    Returns:
        Config: The config to pass to ``Runner.from_cfg``; its
        ``CheckpointFitHook`` raises ``WeightMismatchError`` when the
        Runner loads a checkpoint that does not fit.
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
    add_checkpoint_fit_hook(cfg, strict=strict)
    if out is not None:
        cfg.custom_hooks = list(cfg.get('custom_hooks', None) or []) + [
            dict(type='DumpMetricsHook', out_file=out)
        ]
    return cfg
