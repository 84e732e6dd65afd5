"""Helpers shared by the tests that run the tools, in fresh processes or in
this one, and by those that compare what runs saved."""
import os
import os.path as osp
import runpy
import socket
import subprocess
import sys
from typing import Any, Dict, Optional, Tuple, Union

import torch

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))

#: A two-stage PReNet of 8 channels: a model the tools can load in a second.
TINY_PRENET_CONFIG = """
default_scope = 'mmagic'
custom_imports = dict(imports=['mmderain'], allow_failed_imports=False)
model = dict(
    type='BaseEditModel',
    generator=dict(type='PReNet', num_stages=2, mid_channels=8, num_blocks=1),
    pixel_loss=dict(type='SSIMLoss'),
    data_preprocessor=dict(
        type='DataPreprocessor', mean=[0., 0., 0.], std=[255., 255., 255.]))
"""


def write_tiny_prenet(folder) -> Tuple[str, str, torch.nn.Module]:
    """Write :data:`TINY_PRENET_CONFIG` and a checkpoint of its model
    (initialized under seed 0) into ``folder``.

    Returns:
        tuple: The config's path, the checkpoint's path and the model.
    """
    from mmengine.config import Config

    from mmderain.apis import init_model

    config = osp.join(str(folder), 'prenet_tiny.py')
    with open(config, 'w') as file:
        file.write(TINY_PRENET_CONFIG)
    torch.manual_seed(0)
    model = init_model(Config.fromfile(config), device='cpu')
    ckpt = osp.join(str(folder), 'tiny.pth')
    torch.save({'state_dict': model.state_dict()}, ckpt)
    return config, ckpt, model


def run_tool(*args: Any,
             returncode: Optional[int] = 0,
             env: Optional[Dict[str, str]] = None,
             timeout: float = 600) -> subprocess.CompletedProcess:
    """Run ``python *args`` in the repository root and check its status.

    The child runs one intra-op thread (the machines running the suite have
    few cores) and captures its output as text.

    Args:
        *args: The script (or ``-m``/``-c`` and what follows) and its
            arguments; paths may be ``pathlib.Path``.
        returncode (int, optional): The exit status asserted, None for any.
            Defaults to 0.
        env (dict, optional): Variables set on top of this process's.
        timeout (float): Seconds before the run counts as hung.

    Returns:
        subprocess.CompletedProcess: The finished run.
    """
    proc = subprocess.run([sys.executable, *map(str, args)],
                          cwd=ROOT,
                          env=dict(os.environ, OMP_NUM_THREADS='1',
                                   **(env or {})),
                          capture_output=True,
                          text=True,
                          timeout=timeout)
    if returncode is not None:
        assert proc.returncode == returncode, (
            f'exit status {proc.returncode}, not {returncode}:\n' +
            proc.stdout[-3000:] + proc.stderr[-3000:])
    return proc


def run_script(monkeypatch, path: str, *args: Any) -> Union[int, str, None]:
    """Run the script ``path`` as ``__main__`` in this process, with
    ``sys.argv`` set to ``[path, *args]`` for the test's duration.

    Returns:
        int | str | None: Its exit status: 0 when it returns without
        ``sys.exit``, else what it passed to ``sys.exit``.
    """
    monkeypatch.setattr(sys, 'argv', [str(path), *map(str, args)])
    try:
        runpy.run_path(str(path), run_name='__main__')
    except SystemExit as stop:
        return stop.code
    return 0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


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
