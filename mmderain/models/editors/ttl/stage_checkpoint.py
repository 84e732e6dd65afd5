"""Hand weights from one TTL stage to the next.

Each TTL stage is trained by its own config; later stages name the
checkpoint of an earlier stage either as a ``.pth`` file or as that
stage's work directory, whose ``last_checkpoint`` file (written by
mmengine's ``CheckpointHook``) points at the newest checkpoint.
"""
import os.path as osp
from typing import Dict

from mmengine.runner import find_latest_checkpoint
from torch import Tensor, nn

from mmderain.utils.checkpoint import load_checkpoint_file


def resolve_stage_checkpoint(source: str, option: str) -> str:
    """Turn a checkpoint file or a stage work directory into a file path.

    Args:
        source (str): A ``.pth`` file, or the work directory of an earlier
            stage.
        option (str): The config option that gave ``source``; named in
            errors.

    Returns:
        str: Path of an existing checkpoint file.
    """
    if not source:
        raise ValueError(
            f'{option} is not set: give the checkpoint file or the work '
            'directory of the earlier TTL stage that produces it.')
    path = osp.expanduser(source)
    if osp.isfile(path):
        return path
    if not osp.isdir(path):
        raise FileNotFoundError(
            f'{option}: {source!r} does not exist. Train the earlier TTL '
            'stage first (its work directory or a .pth file goes here).')
    pointer = osp.join(path, 'last_checkpoint')
    if not osp.isfile(pointer):
        raise FileNotFoundError(
            f'{option}: the work directory {source!r} has no '
            "'last_checkpoint' file, so that stage has not saved a "
            'checkpoint yet. Train it first or give a .pth file.')
    recorded = find_latest_checkpoint(path)
    # The pointer may hold a path relative to the directory training ran
    # from; the file itself sits in the work directory.
    for candidate in (recorded, osp.join(path, osp.basename(recorded))):
        if candidate and osp.isfile(candidate):
            return candidate
    raise FileNotFoundError(
        f'{option}: {pointer} points at {recorded!r}, which does not exist.')


def load_stage_weights(source: str, option: str,
                       targets: Dict[str, nn.Module]) -> str:
    """Load modules from the weights stored under key prefixes of a stage
    checkpoint.

    Every parameter and buffer of each module must be found, and nothing
    else may sit under its prefix: a partial load would silently train
    from random weights.

    Args:
        source (str): Checkpoint file or work directory of the stage.
        option (str): The config option that gave ``source``.
        targets (dict[str, nn.Module]): Maps a key prefix of the
            checkpoint's ``state_dict`` (e.g. ``'student.'``) to the module
            that receives those weights.

    Returns:
        str: The checkpoint file that was loaded.
    """
    path = resolve_stage_checkpoint(source, option)
    checkpoint = load_checkpoint_file(path, map_location='cpu')
    state: Dict[str, Tensor] = checkpoint.get('state_dict', checkpoint)
    for prefix, module in targets.items():
        weights = {
            key[len(prefix):]: value
            for key, value in state.items() if key.startswith(prefix)
        }
        if not weights:
            found = sorted({key.split('.')[0] + '.' for key in state})
            raise KeyError(
                f'{option}: {path} has no weights under {prefix!r}; its '
                f'top-level prefixes are {found}.')
        hint = (f'{option}: the weights under {prefix!r} in {path} do not '
                'fit the configured network; check that both stages use the '
                'same encoder/decoder settings.')
        try:
            missing, unexpected = module.load_state_dict(
                weights, strict=False)
        except RuntimeError as err:
            raise RuntimeError(f'{hint} {err}') from err
        if missing or unexpected:
            raise RuntimeError(f'{hint} Missing: {missing[:5]}, unexpected: '
                               f'{unexpected[:5]}.')
    return path
