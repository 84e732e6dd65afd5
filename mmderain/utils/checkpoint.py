"""Loading checkpoints so that no checkpoint can run code.

A checkpoint is a pickle, and unpickling calls whatever functions the file
names. torch >= 2.6 unpickles with ``weights_only=True``: only globals on an
allow-list may be named, constructed or called. mmengine 0.10.7 training
checkpoints carry its message hub (``HistoryBuffer`` objects holding numpy
arrays) in their ``meta``, so they need a few globals beyond torch's own
list; this module allows exactly those, and nothing that can reach code.

The guarantee, by construction (each point is tested, by hand-written
payloads and by a fuzz test in ``tests/test_utils/test_checkpoint.py``):

* **No builtin callable is allowed.** ``torch.save`` writes mmengine's
  statistics methods (``HistoryBuffer.mean`` ...) as
  ``getattr(HistoryBuffer, 'mean')``. The real ``getattr`` would hand back
  any attribute of anything (``getattr(getattr, '__self__')`` is the
  ``builtins`` module, and ``eval`` is one lookup further), so the name
  ``builtins.getattr`` is bound to :func:`_allowed_attribute` instead: it
  returns an attribute only for an exact ``(class, public name)`` pair of
  :data:`ATTRIBUTE_REFERENCES` and refuses everything else.
* **Allowed classes get only their own, checked state.** The name of
  mmengine's ``HistoryBuffer`` is bound to :class:`_CheckedHistoryBuffer`,
  which accepts exactly the attributes mmengine writes (``max_length``, an
  int; ``_log_history`` and ``_count_history``, numeric numpy arrays; the
  statistics methods, only as the class's own ``min``/``max``/``current``/
  ``mean``) and then becomes a plain ``HistoryBuffer``. Instance
  attributes such as ``__reduce_ex__`` or ``__deepcopy__``, which
  ``copy.deepcopy`` (run by ``MessageHub.load_state_dict`` on resume) would
  call, are refused.
* **Nothing else in the loaded object graph carries instance attributes
  with special names**: :func:`load_checkpoint_file` walks the result and
  refuses a double-underscore attribute on any object (``OrderedDict`` and
  tensors can carry attributes through torch's own rules).

The remaining allowed globals are torch's defaults (tensor rebuilding,
``OrderedDict``, ``set`` ...) and numpy's array and scalar reconstruction;
none of them calls a function it is given that is not itself allowed.

Every checkpoint this package reads goes through :func:`load_checkpoint_file`,
which turns a refusal into one message naming the file and the reason. It is
also mmengine's loader for local paths (:func:`register_checkpoint_loader`),
so ``resume``, ``load_from``, ``Runner.load_checkpoint`` and
``mmengine.runner.load_checkpoint`` (used by ``tools/test.py``,
``tools/derain.py`` and :mod:`mmderain.apis`) refuse the same way.
"""
import os.path as osp
import pickle
import contextlib
from typing import (Any, Dict, FrozenSet, Iterator, List, Optional, Tuple,
                    Union)

import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner import CheckpointLoader

#: The attribute references a checkpoint may make: the statistics methods
#: mmengine registers on ``HistoryBuffer`` (``_set_default_statistics``).
ATTRIBUTE_REFERENCES: Dict[type, FrozenSet[str]] = {
    HistoryBuffer: frozenset({'min', 'max', 'current', 'mean'}),
}

_HISTORY_BUFFER_NAME = 'mmengine.logging.history_buffer.HistoryBuffer'


class CheckpointRefusedError(RuntimeError):
    """A checkpoint file was refused: unsafe, unreadable or missing."""


def _allowed_attribute(owner: Any, name: Any) -> Any:
    """Stands in for ``getattr`` while unpickling: only the exact
    ``(class, name)`` pairs of :data:`ATTRIBUTE_REFERENCES` resolve."""
    # The pickle names the class by its import path, which while loading
    # is bound to the checked stand-in of that class.
    stand_ins = {_CheckedHistoryBuffer: HistoryBuffer}
    owner = stand_ins.get(owner, owner) if isinstance(owner, type) else owner
    for cls, names in ATTRIBUTE_REFERENCES.items():
        if owner is cls and type(name) is str and name in names:
            return getattr(cls, name)
    if owner is _allowed_attribute:
        shown = 'getattr'  # the pickle's name for this very function
    elif isinstance(owner, type):
        shown = owner.__name__
    else:
        shown = f'<{type(owner).__name__} object>'
    raise pickle.UnpicklingError(
        f'attribute reference getattr({shown}, {name!r}) is not one of the '
        'allowed (class, attribute) pairs')


_HISTORY_STATE = {'max_length': (int, ), '_log_history': (np.ndarray, ),
                  '_count_history': (np.ndarray, )}


def _check_statistics_methods(methods: Any) -> None:
    """``HistoryBuffer.__getstate__`` also saves the class's statistics
    methods, and its ``__setstate__`` merges them into the class: only the
    methods the class already has under their own names may come back."""
    names = ATTRIBUTE_REFERENCES[HistoryBuffer]
    if type(methods) is not dict or any(
            type(name) is not str or name not in names
            or method is not getattr(HistoryBuffer, name)
            for name, method in methods.items()):
        raise pickle.UnpicklingError(
            'HistoryBuffer statistics_methods may only map '
            f'{sorted(names)} to the HistoryBuffer methods of those names')


class _CheckedHistoryBuffer(HistoryBuffer):
    """What the pickled name of ``HistoryBuffer`` builds while unpickling.

    Its ``__setstate__`` accepts only the state mmengine writes and then
    turns the object into a plain :class:`~mmengine.logging.HistoryBuffer`.
    """

    def __setstate__(self, state: Any) -> None:
        keys = set(state) if type(state) is dict else None
        if keys is None or keys - {'statistics_methods'} != set(
                _HISTORY_STATE):
            shown = sorted(map(repr, state)) if type(state) is dict else [
                type(state).__name__]
            raise pickle.UnpicklingError(
                'HistoryBuffer state must hold exactly '
                f'{sorted(_HISTORY_STATE)} (and statistics_methods), got '
                f'{", ".join(shown)}')
        _check_statistics_methods(state.get('statistics_methods', {}))
        for key, types in _HISTORY_STATE.items():
            value = state[key]
            if type(value) not in types or (
                    type(value) is np.ndarray
                    and value.dtype.kind not in 'biuf'):
                raise pickle.UnpicklingError(
                    f'HistoryBuffer.{key} must be '
                    f'{" or ".join(t.__name__ for t in types)} (numeric), '
                    f'got {type(value).__name__}')
        self.__class__ = HistoryBuffer
        # The checked methods are the class's own: nothing to merge.
        self.__dict__.update({key: state[key] for key in _HISTORY_STATE})


def checkpoint_safe_globals() -> List[Union[object, Tuple[object, str]]]:
    """The globals an mmengine training checkpoint needs beyond torch's.

    Returns:
        list: Items for ``torch.serialization.safe_globals``; a
        ``(stand-in, name)`` tuple binds a pickled name to a checked
        stand-in (see the module docstring).
    """
    numpy_dtypes = [
        type(np.dtype(t)) for t in (np.float16, np.float32, np.float64,
                                    np.int8, np.int16, np.int32, np.int64,
                                    np.uint8, np.bool_)
    ]
    return [
        (_CheckedHistoryBuffer, _HISTORY_BUFFER_NAME),
        (_allowed_attribute, 'builtins.getattr'),
        np.ndarray,
        np.dtype,
        # numpy pickles arrays through this function: the allow-list must
        # name the very object, so there is no public spelling of it.
        np.core.multiarray._reconstruct,
        np.core.multiarray.scalar,
        *numpy_dtypes,
    ]


def register_checkpoint_safe_globals() -> None:
    """Allow-list :func:`checkpoint_safe_globals` for every ``torch.load``
    of this process, so that code which calls ``torch.load`` directly reads
    mmengine checkpoints too, with the same stand-ins."""
    torch.serialization.add_safe_globals(checkpoint_safe_globals())


def _unpickling_reason(err: Exception) -> str:
    """The line of torch's weights-only error that names the refused
    global (its other lines advise turning the protection off)."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    for line in lines:
        words = ('GLOBAL', 'global', 'attribute', 'HistoryBuffer')
        if any(word in line for word in words):
            return line
    return lines[-1] if lines else type(err).__name__


@contextlib.contextmanager
def _only_checkpoint_globals() -> Iterator[None]:
    """Allow exactly :func:`checkpoint_safe_globals` beyond torch's own
    list while loading: globals that other code of the process allowed (a
    real ``getattr``, say) must not take the place of the stand-ins."""
    serialization = torch.serialization
    others = serialization.get_safe_globals()
    serialization.clear_safe_globals()
    serialization.add_safe_globals(checkpoint_safe_globals())
    try:
        yield
    finally:
        serialization.clear_safe_globals()
        serialization.add_safe_globals(others)


def _special_attribute(obj: Any) -> Optional[str]:
    """The first double-underscore instance attribute in the object graph
    under ``obj``, as ``'Type.name'``, or None."""
    seen = set()
    stack = [obj]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        attributes = getattr(item, '__dict__', None)
        if isinstance(attributes, dict) and not isinstance(item, type):
            for name, value in attributes.items():
                if type(name) is not str or name.startswith('__'):
                    return f'{type(item).__name__}.{name}'
                stack.append(value)
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
        elif isinstance(item, np.ndarray) and item.dtype.kind == 'O':
            stack.extend(item.flat)
    return None


def load_checkpoint_file(path: str,
                         map_location: Union[str, torch.device, None] = 'cpu'
                         ) -> Any:
    """Load a checkpoint so that it cannot run code (see the module
    docstring for what is allowed).

    Args:
        path (str): The checkpoint file.
        map_location (str | torch.device, optional): As in ``torch.load``.
            Defaults to ``'cpu'``.

    Returns:
        Any: The unpickled checkpoint (usually a dict).

    Raises:
        CheckpointRefusedError: If the file is missing, is not a PyTorch
            checkpoint (e.g. truncated), or its pickle asks for anything
            beyond plain weights and training metadata; the message names
            the file and the reason.
    """
    path = osp.expanduser(str(path))
    if not osp.isfile(path):
        raise CheckpointRefusedError(
            f'Checkpoint file "{path}" does not exist.')
    try:
        with _only_checkpoint_globals():
            checkpoint = torch.load(
                path, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as err:
        raise _refusal(path, _unpickling_reason(err)) from None
    except (RuntimeError, EOFError, OSError, ValueError) as err:
        raise CheckpointRefusedError(
            f'Cannot read checkpoint "{path}": it is not a complete PyTorch '
            f'checkpoint (truncated or another kind of file): {err}') from None
    except Exception as err:  # noqa: BLE001
        # A hand-made pickle can make an allowed call fail in any way (a
        # wrong argument count, say); that is a refusal, not a crash.
        raise _refusal(path, f'{type(err).__name__}: {err}') from None
    special = _special_attribute(checkpoint)
    if special is not None:
        raise _refusal(path, f'an object carries the attribute {special}')
    return checkpoint


def _refusal(path: str, reason: str) -> CheckpointRefusedError:
    return CheckpointRefusedError(
        f'Refused to load checkpoint "{path}": its pickle asks for '
        f'something that is not plain weights or training metadata '
        f'({reason}); unpickling it could run code. Only load it with '
        'torch.load(weights_only=False) if you trust its source.')


def load_from_local(filename: str,
                    map_location: Optional[Union[str, torch.device]] = None
                    ) -> Any:
    """mmengine's loader of local paths: :func:`load_checkpoint_file`.

    mmengine logs the loader's name after ``load_from_`` ("Loads checkpoint
    by local backend"), hence the name.
    """
    return load_checkpoint_file(filename, map_location=map_location)


def register_checkpoint_loader() -> None:
    """Make :func:`load_checkpoint_file` mmengine's loader of local paths
    (URL schemes such as ``https://`` keep their own loaders)."""
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_from_local, force=True)


__all__ = [
    'ATTRIBUTE_REFERENCES', 'CheckpointRefusedError',
    'checkpoint_safe_globals', 'load_checkpoint_file', 'load_from_local',
    'register_checkpoint_loader', 'register_checkpoint_safe_globals'
]
