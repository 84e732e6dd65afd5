"""Hand-made pickle payloads for the checkpoint-safety tests."""
import os
from collections import OrderedDict

import numpy as np
import torch
from mmengine.logging import HistoryBuffer


class RunsACommand:
    """Unpickling this would run ``touch <marker>``."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return os.system, (f'touch {self.marker}', )


class Reduce:
    """Pickles as ``func(*args)`` (with ``state`` applied by BUILD): the
    building block of hand-made pickle payloads."""

    def __init__(self, func, *args, state=None):
        self.func, self.args, self.state = func, args, state

    def __call__(self, *args):  # the pickler only accepts callables
        raise AssertionError('never called while pickling')

    def __reduce__(self):
        if self.state is None:
            return self.func, self.args
        return self.func, self.args, self.state


def touch_code(marker):
    return f"__import__('pathlib').Path({str(marker)!r}).touch()"


def issue_payload(marker):
    """The payload of the report: eval reached through getattr, run by the
    deep copy of MessageHub.load_state_dict on resume."""
    builtins_module = Reduce(getattr, getattr, '__self__')
    run_eval = Reduce(getattr, builtins_module, 'eval')
    reduce_ex = Reduce(getattr, {4: (run_eval, (touch_code(marker), ))},
                       'get')
    buffer = Reduce(
        HistoryBuffer,
        state=dict(max_length=10, _log_history=np.zeros(1),
                   _count_history=np.ones(1), __deepcopy__=None,
                   __reduce_ex__=reduce_ex))
    return hub_checkpoint(runtime_info=dict(evil=buffer))


def hub_checkpoint(runtime_info=None, log_scalars=None):
    runtime_info = runtime_info or {}
    return dict(
        meta=dict(
            message_hub=dict(
                log_scalars=log_scalars or {},
                runtime_info=runtime_info,
                resumed_keys={key: True for key in runtime_info})),
        state_dict=OrderedDict(w=torch.ones(2)))
