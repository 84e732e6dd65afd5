"""Helpers shared by the tests that run the tools in subprocesses."""
import torch


def assert_identical(expected, got, where='checkpoint'):
    """Tensors equal bit for bit, everything else equal, at every key of
    nested dicts, lists and tuples."""
    if isinstance(expected, torch.Tensor):
        assert torch.equal(expected, got), where
    elif isinstance(expected, dict):
        assert set(expected) == set(got), where
        for key in expected:
            assert_identical(expected[key], got[key], f'{where}.{key}')
    elif isinstance(expected, (list, tuple)):
        assert len(expected) == len(got), where
        for i, (a, b) in enumerate(zip(expected, got)):
            assert_identical(a, b, f'{where}[{i}]')
    else:
        assert expected == got, where
