"""Refuse checkpoints whose weights do not fit the model they load into.

mmengine's ``Runner.load_checkpoint`` loads ``load_from`` with
``strict=False``: missing, unexpected and size-mismatched weights are only
logged, so ``tools/test.py`` would score a half-random network. The check
here compares a checkpoint's state dict with the model before anything is
copied; :class:`CheckpointFitHook` runs it in the Runner and
:func:`mmderain.apis.init_model` calls it directly.
"""
import re
from collections import OrderedDict
from typing import Dict, List, Mapping

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import find_latest_checkpoint
from torch import nn

from mmagic.registry import HOOKS

# mmengine's loaders drop the prefix ``nn.DataParallel`` adds and do not
# miss BatchNorm's counters; the check judges keys the same way.
_REVISE_KEYS = ((r'^module\.', ''), )
_UNCHECKED = 'num_batches_tracked'
# Keys of each kind named in an error.
_SHOWN = 5


class WeightMismatchError(ValueError):
    """A checkpoint's weights do not fit the model it is loaded into."""


def checkpoint_state_dict(checkpoint: Mapping) -> OrderedDict:
    """The weights of a loaded checkpoint, keyed as mmengine loads them.

    Args:
        checkpoint (Mapping): A training checkpoint (weights under
            ``state_dict``) or a bare state dict.

    Returns:
        OrderedDict: The state dict, ``module.`` prefixes removed as
        ``Runner.load_checkpoint`` does (with its ``_metadata``).
    """
    state = checkpoint.get('state_dict', checkpoint)
    # Module versions, which some modules read when they load.
    metadata = getattr(state, '_metadata', OrderedDict())
    for pattern, repl in _REVISE_KEYS:
        state = OrderedDict(
            (re.sub(pattern, repl, key), value)
            for key, value in state.items())
    state._metadata = metadata
    return state


def _as_loaded(model: nn.Module, state_dict: Mapping) -> Dict:
    """``state_dict`` rewritten by the model's load pre-hooks.

    Modules may rename keys when they load (PReNet reads the original
    code's layout this way); torch runs these hooks parent first, each
    with its prefix, as done here on a copy. mmengine's ``load_state_dict``
    reads the post-hooks of the same private hook tables.
    """
    state = dict(state_dict)
    for name, module in model.named_modules():
        prefix = f'{name}.' if name else ''
        for hook in module._load_state_dict_pre_hooks.values():
            hook(state, prefix, {}, True, [], [], [])
    return state


def _shape(value) -> str:
    shape = getattr(value, 'shape', None)
    return 'no tensor' if shape is None else str(list(shape))


def _listing(kind: str, items: List[str]) -> str:
    more = len(items) - _SHOWN
    return (f'{len(items)} {kind}: {", ".join(items[:_SHOWN])}' +
            (f' and {more} more' if more > 0 else ''))


def model_type(model: nn.Module) -> str:
    """The model's class, with its generator's for mmagic editors."""
    generator = getattr(model, 'generator', None)
    if isinstance(generator, nn.Module):
        return f'{type(model).__name__} (generator {type(generator).__name__})'
    return type(model).__name__


def _prefix_hint(model: nn.Module, given: Mapping, expected: Mapping) -> str:
    for name, _ in model.named_children():
        if given and all(f'{name}.{key}' in expected for key in given):
            return (f' Its keys are those of `{name}` alone: save the whole '
                    f'model, or prefix every key with "{name}.".')
    return ''


def check_weights_fit(model: nn.Module,
                      state_dict: Mapping,
                      filename: str,
                      strict: bool = True) -> None:
    """Check that ``state_dict`` fits ``model`` before loading it.

    Args:
        model (nn.Module): The model that receives the weights (not a
            wrapper such as DDP).
        state_dict (Mapping): Its weights, e.g. from
            :func:`checkpoint_state_dict`.
        filename (str): The checkpoint file, named in errors.
        strict (bool): Refuse any missing, unexpected or size-mismatched
            key. When False (fine-tuning, partial loads), refuse only a
            checkpoint of which no weight fits: loading it would change
            nothing. Defaults to True.

    Raises:
        WeightMismatchError: Naming the file, the model type and the first
            keys of each kind with their shapes.
    """
    given = _as_loaded(model, state_dict)
    expected = model.state_dict()
    missing = [
        f'{key} {_shape(value)}' for key, value in expected.items()
        if key not in given and not key.endswith(_UNCHECKED)
    ]
    unexpected = [
        f'{key} {_shape(value)}' for key, value in given.items()
        if key not in expected
    ]
    common = [key for key in given if key in expected]
    mismatched = [
        f'{key} {_shape(given[key])} vs {_shape(expected[key])}'
        for key in common if _shape(given[key]) != _shape(expected[key])
    ]
    fitting = len(common) - len(mismatched)
    if not (missing or unexpected or mismatched) or (not strict and fitting):
        return
    problems = '; '.join(
        _listing(kind, items) for kind, items in (
            ('missing keys (model shape)', missing),
            ('unexpected keys (checkpoint shape)', unexpected),
            ('keys of another size (checkpoint vs model)', mismatched))
        if items)
    if strict:
        remedy = ('Give the checkpoint of this config, or load only the '
                  'fitting weights (tools/test.py --allow-partial-load, '
                  'strict=False in Python).')
    else:
        remedy = 'Loading it would leave the model as initialised.'
    raise WeightMismatchError(
        f'Checkpoint "{filename}" does not fit the model '
        f'{model_type(model)}: {fitting} of its {len(given)} weights fit; '
        f'{problems}. {remedy}' + _prefix_hint(model, given, expected))


@HOOKS.register_module()
class CheckpointFitHook(Hook):
    """Check the weights of ``load_from`` and resumed checkpoints against
    the model before the Runner loads them (:func:`check_weights_fit`).

    ``tools/test.py`` adds it with ``strict=True``: a score must come from
    the model's own weights. ``tools/train.py`` adds it with
    ``strict=False``, as fine-tuning may load a part of a model, but a
    checkpoint of which nothing fits is refused.

    Args:
        strict (bool): See :func:`check_weights_fit`. Defaults to True.
    """

    # Before any other hook acts on the checkpoint it would refuse.
    priority = 'VERY_HIGH'

    def __init__(self, strict: bool = True) -> None:
        self.strict = strict

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Refuse ``checkpoint`` unless its weights fit ``runner.model``."""
        model = runner.model
        if is_model_wrapper(model):
            model = model.module
        filename = runner.cfg.get('load_from', None)
        if filename is None and runner.cfg.get('resume', False):
            filename = find_latest_checkpoint(runner.work_dir)
        check_weights_fit(
            model,
            checkpoint_state_dict(checkpoint),
            str(filename),
            strict=self.strict)


def add_checkpoint_fit_hook(cfg, strict: bool) -> None:
    """Put one :class:`CheckpointFitHook` with ``strict`` into
    ``cfg.custom_hooks``, replacing any the config has."""
    hooks = [
        hook for hook in cfg.get('custom_hooks', None) or []
        if hook.get('type') not in ('CheckpointFitHook', CheckpointFitHook)
    ]
    hooks.append(dict(type='CheckpointFitHook', strict=strict))
    cfg.custom_hooks = hooks
