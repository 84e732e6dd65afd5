import copy
import pickle
from collections import OrderedDict

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer, MessageHub
from mmengine.runner import load_checkpoint
from torch import nn

import mmderain  # noqa: F401  (registers the safe globals)
from mmderain.models.editors.prenet import convert_original_state_dict
from mmderain.models.editors.ttl.stage_checkpoint import load_stage_weights
from mmderain.utils import CheckpointRefusedError, load_checkpoint_file

from hostile_pickles import (Reduce, RunsACommand, hub_checkpoint,
                             issue_payload, touch_code)


def test_message_hub_state_loads_with_weights_only(tmp_path):
    hub = MessageHub.get_instance('test_checkpoint')
    hub.update_scalar('train/loss', 0.5)
    hub.update_scalar('train/loss', np.float64(0.25))
    hub.update_info('iter', 3)
    state = dict(
        meta=dict(message_hub=hub.state_dict(), seed=np.int64(1)),
        state_dict=dict(w=torch.ones(2)),
        array=np.arange(4, dtype=np.float32))
    path = tmp_path / 'ckpt.pth'
    torch.save(state, path)
    loaded = torch.load(path, weights_only=True)
    buffer = loaded['meta']['message_hub']['log_scalars']['train/loss']
    assert isinstance(buffer, HistoryBuffer)
    assert buffer.mean() == 0.375
    np.testing.assert_array_equal(loaded['array'], np.arange(4))


class Untrusted:
    pass


def test_arbitrary_classes_stay_rejected(tmp_path):
    path = tmp_path / 'untrusted.pth'
    torch.save({'x': Untrusted()}, path)
    with pytest.raises(pickle.UnpicklingError, match='Unsupported global'):
        torch.load(path, weights_only=True)


def hostile_checkpoint(folder):
    """A checkpoint whose pickle would create ``folder/pwned``; returns the
    checkpoint path and the marker path."""
    marker = folder / 'pwned'
    path = folder / 'hostile.pth'
    torch.save(
        dict(state_dict=dict(w=torch.ones(1)), meta=RunsACommand(marker)),
        path)
    return path, marker


def test_hostile_checkpoint_is_refused_on_every_in_process_path(tmp_path):
    path, marker = hostile_checkpoint(tmp_path)
    loaders = [
        lambda: load_checkpoint_file(path),
        # mmengine's public loader: resume, load_from, tools/test.py and
        # mmderain.apis.init_model all read local files through it.
        lambda: load_checkpoint(nn.Linear(1, 1), str(path)),
        lambda: load_stage_weights(
            str(path), 'student_checkpoint', {'w': nn.Linear(1, 1)}),
    ]
    for load in loaders:
        with pytest.raises(CheckpointRefusedError) as info:
            load()
        message = str(info.value)
        assert f'Refused to load checkpoint "{path}"' in message
        assert 'system' in message and 'could run code' in message
        assert not marker.exists()


def test_unreadable_checkpoints_name_the_file(tmp_path):
    truncated = tmp_path / 'truncated.pth'
    torch.save(dict(state_dict=dict(w=torch.ones(1000))), truncated)
    truncated.write_bytes(truncated.read_bytes()[:200])
    with pytest.raises(CheckpointRefusedError,
                       match=f'Cannot read checkpoint "{truncated}"'):
        load_checkpoint_file(truncated)
    with pytest.raises(CheckpointRefusedError, match='does not exist'):
        load_checkpoint_file(tmp_path / 'missing.pth')


def test_project_and_original_prenet_checkpoints_still_load(tmp_path):
    hub = MessageHub.get_instance('test_checkpoint_loads')
    hub.update_scalar('train/loss', np.float64(0.25))
    ours = tmp_path / 'ours.pth'
    torch.save(
        dict(
            meta=dict(seed=np.int64(1), message_hub=hub.state_dict()),
            state_dict=OrderedDict(w=torch.ones(2))), ours)
    assert torch.equal(load_checkpoint_file(ours)['state_dict']['w'],
                       torch.ones(2))

    # PReNet's release (github.com/csdwren/PReNet) saves the bare state
    # dict of an nn.DataParallel model with the original layer names.
    original = OrderedDict([
        ('module.conv0.0.weight', torch.ones(32, 6, 3, 3)),
        ('module.conv0.0.bias', torch.zeros(32)),
    ])
    path = tmp_path / 'net_latest.pth'
    torch.save(original, path)
    loaded = load_checkpoint_file(path)
    assert list(loaded) == list(original)
    assert sorted(convert_original_state_dict(loaded)) == [
        'conv_in.bias', 'conv_in.weight'
    ]


def use_like_a_resume(checkpoint, hub_name='test_checkpoint_resume'):
    """What mmengine does with a loaded checkpoint's message hub."""
    hub = MessageHub.get_instance(hub_name)
    hub.load_state_dict(checkpoint['meta']['message_hub'])
    copy.deepcopy(checkpoint)
    repr(checkpoint)


def test_issue_payload_is_refused_and_runs_nothing(tmp_path):
    marker = tmp_path / 'pwned'
    path = tmp_path / 'evil.pth'
    torch.save(issue_payload(marker), path)
    with pytest.raises(CheckpointRefusedError,
                       match=r"getattr\(getattr, '__self__'\)"):
        load_checkpoint_file(path)
    # Even with the attribute lookups gone, special instance attributes on
    # an allowed class are refused.
    buffer = Reduce(HistoryBuffer, state=dict(
        max_length=10, _log_history=np.zeros(1), _count_history=np.ones(1),
        __deepcopy__=None))
    torch.save(hub_checkpoint(runtime_info=dict(x=buffer)), path)
    with pytest.raises(CheckpointRefusedError,
                       match="HistoryBuffer state must hold exactly"):
        load_checkpoint_file(path)
    special = Reduce(OrderedDict, state={'__reduce_ex__': set})
    torch.save(hub_checkpoint(runtime_info=dict(x=special)), path)
    with pytest.raises(CheckpointRefusedError,
                       match=r'OrderedDict.__reduce_ex__'):
        load_checkpoint_file(path)
    assert not marker.exists()


def test_resume_through_mmengine_refuses_the_payload(tmp_path):
    """The path of ``--resume`` and of the automatic resume from
    ``last_checkpoint``: Runner.resume reads through mmengine's loader."""
    from mmengine.runner import Runner
    marker = tmp_path / 'pwned'
    path = tmp_path / 'epoch_1.pth'
    torch.save(issue_payload(marker), path)
    runner = Runner(
        model=nn.Linear(1, 1), work_dir=str(tmp_path / 'work'),
        experiment_name='test_resume_payload')
    with pytest.raises(CheckpointRefusedError, match='Refused to load'):
        runner.resume(str(path))
    assert not marker.exists()


ATTRIBUTE_NAMES = (
    '__self__', 'eval', 'exec', '__import__', 'system', '__globals__',
    '__builtins__', '__class__', '__base__', '__subclasses__', '__mro__',
    '__dict__', '__init__', '__call__', '__reduce_ex__', '__deepcopy__',
    '__getattribute__', 'get', 'update', 'setdefault', 'fromkeys', 'mean',
    'min', 'max', 'current', 'statistics', '_statistics_methods', 'modules')


def pick(rng, options):
    """One of ``options`` as it is: ``rng.choice`` would hand back numpy
    scalars (``np.str_``), which pickle as numpy objects, not as the plain
    strings and ints a payload names."""
    return options[int(rng.integers(len(options)))]


def reached_builtin(rng):
    """``eval``, ``exec`` or ``__import__`` reached as the reported payload
    reaches it: ``getattr(getattr(getattr, '__self__'), name)``."""
    return Reduce(getattr, Reduce(getattr, getattr, '__self__'),
                  pick(rng, ['eval', 'exec', '__import__']))


def random_payload(rng, marker, depth=0):
    """A random expression over the allow-listed globals, attribute lookups,
    calls and object states, aimed at running ``touch marker``.

    Besides blind combinations it draws the reported payload's parts (a
    builtin reached through ``getattr``, a call of it on the code, a
    ``HistoryBuffer`` or ``OrderedDict`` state whose ``__reduce_ex__`` is a
    ``dict.get`` returning such a call), so that some payloads do run the
    code where nothing refuses them.
    """
    code = touch_code(marker)
    leaf = depth >= 4
    kind = pick(rng, ['literal', 'global', 'getattr', 'getattr', 'call',
                      'call', 'builtin', 'state', 'state', 'container']
                if not leaf else ['literal', 'global'])
    if kind == 'literal':
        return pick(rng, [code, 4, f'touch {marker}', b'x', None,
                          pick(rng, ATTRIBUTE_NAMES)])
    if kind == 'global':
        return pick(rng, [getattr, HistoryBuffer, HistoryBuffer.mean,
                          OrderedDict, set, np.dtype, torch.Size])
    if kind == 'getattr':
        return Reduce(getattr, random_payload(rng, marker, depth + 1),
                      pick(rng, ATTRIBUTE_NAMES))
    if kind == 'builtin':
        return reached_builtin(rng)
    if kind == 'call':
        func = pick(rng, [getattr, HistoryBuffer, OrderedDict, set,
                          reached_builtin(rng), reached_builtin(rng),
                          random_payload(rng, marker, depth + 1)])
        if not callable(func):
            func = Reduce(getattr, func, pick(rng, ATTRIBUTE_NAMES))
        args = [random_payload(rng, marker, depth + 1)
                for _ in range(int(rng.integers(0, 3)))]
        if rng.random() < 0.75:
            args = [code] + args[1:]
        return Reduce(func, *args)
    if kind == 'state':
        state = dict(max_length=10, _log_history=np.zeros(1),
                     _count_history=np.ones(1))
        for _ in range(int(rng.integers(0, 3))):
            state[pick(rng, ATTRIBUTE_NAMES)] = random_payload(
                rng, marker, depth + 1)
        if rng.random() < 0.75:
            func = (reached_builtin(rng) if rng.random() < 0.75 else
                    random_payload(rng, marker, depth + 1))
            state['__deepcopy__'] = None
            state['__reduce_ex__'] = Reduce(getattr, {4: (func, (code, ))},
                                            'get')
        return Reduce(pick(rng, [HistoryBuffer, OrderedDict]), state=state)
    return {4: (random_payload(rng, marker, depth + 1), (code, ))}


def load_unprotected(path):
    """What loading did without an allow-list: a plain unpickling."""
    return torch.load(path, weights_only=False)


def test_fuzzed_payloads_never_run_code(tmp_path):
    """Random combinations of the allowed globals and attribute lookups
    either are refused or load as plain data that resumes harmlessly.

    The same payloads loaded without the allow-list and resumed run the
    code often: the fuzz finds what it guards against.
    """
    rng = np.random.default_rng(0)
    marker = tmp_path / 'pwned'
    path = tmp_path / 'fuzz.pth'
    outcomes = dict(refused=0, loaded=0, ran_unprotected=0)
    for _ in range(500):
        payload = random_payload(rng, marker)
        try:
            torch.save(hub_checkpoint(runtime_info=dict(x=payload)), path)
        except (pickle.PicklingError, TypeError, AttributeError):
            continue  # not even picklable: no payload to test
        try:
            use_like_a_resume(load_unprotected(path), 'test_unprotected')
        except Exception:  # noqa: BLE001 (garbage data may not load)
            pass
        if marker.exists():
            outcomes['ran_unprotected'] += 1
            marker.unlink()
        try:
            checkpoint = load_checkpoint_file(path)
        except CheckpointRefusedError:
            outcomes['refused'] += 1
        else:
            outcomes['loaded'] += 1
            try:
                use_like_a_resume(checkpoint)
            except Exception:  # noqa: BLE001 (garbage data may not copy)
                pass
        assert not marker.exists(), payload
    # Both sides were exercised: the fuzz does not only make refusals, and
    # its payloads are live.
    assert outcomes['refused'] > 200 and outcomes['loaded'] > 50, outcomes
    assert outcomes['ran_unprotected'] > 40, outcomes


def test_statistics_method_references_resolve(tmp_path):
    """``torch.save`` writes ``HistoryBuffer.mean`` as
    ``getattr(HistoryBuffer, 'mean')``: the allowed pair still loads, a
    private or foreign attribute does not."""
    path = tmp_path / 'methods.pth'
    torch.save(dict(methods=[HistoryBuffer.mean, HistoryBuffer.min]), path)
    assert load_checkpoint_file(path)['methods'] == [
        HistoryBuffer.mean, HistoryBuffer.min]
    for name in ('_statistics_methods', '__init__', 'update'):
        torch.save(dict(x=Reduce(getattr, HistoryBuffer, name)), path)
        with pytest.raises(CheckpointRefusedError, match=repr(name)):
            load_checkpoint_file(path)


def test_the_loader_logs_its_name(tmp_path, monkeypatch):
    import mmengine.runner.checkpoint as mmengine_checkpoint
    lines = []
    monkeypatch.setattr(mmengine_checkpoint, 'print_log',
                        lambda msg, **kwargs: lines.append(msg))
    path = tmp_path / 'w.pth'
    torch.save(dict(state_dict=dict(weight=torch.ones(1, 1),
                                    bias=torch.zeros(1))), path)
    load_checkpoint(nn.Linear(1, 1), str(path))
    assert any(line.startswith('Loads checkpoint by local backend')
               for line in lines), lines
