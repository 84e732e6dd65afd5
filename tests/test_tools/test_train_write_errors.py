"""A checkpoint that cannot be written (full disk, quota, read-only folder)
ends tools/train.py with one line naming the file and what was kept."""
import builtins
import errno
import logging
import os
import os.path as osp

import pytest
import torch
from mmengine.logging import MessageHub, MMLogger
from mmengine.visualization import Visualizer
from test_train_test import CONFIG, ROOT, TINY
from tool_runs import run_script

from mmderain.utils import atomic_files

# No validation: only the checkpoints at iterations 2 and 4 matter.
OPTIONS = TINY + ['train_cfg.max_iters=4', 'train_cfg.val_interval=100']


@pytest.fixture
def clean_globals():
    yield
    logging.shutdown()
    for manager in (MMLogger, Visualizer, MessageHub):
        manager._instance_dict.clear()


def test_a_full_disk_at_a_checkpoint_is_one_line_naming_what_was_kept(
        tmp_path, monkeypatch, clean_globals):
    work_dir = tmp_path / 'work'

    def open_file(file, mode='r', *args, **kwargs):
        # The second checkpoint's temporary file: the disk is full.
        if 'x' in mode and '.iter_4.pth.' in str(file):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return builtins.open(file, mode, *args, **kwargs)

    monkeypatch.setattr(atomic_files, 'open', open_file, raising=False)
    message = run_script(monkeypatch, osp.join(ROOT, 'tools', 'train.py'),
                         CONFIG, '--work-dir', work_dir, '--cfg-options',
                         *OPTIONS)
    first, second = work_dir / 'iter_2.pth', work_dir / 'iter_4.pth'
    assert message == (
        f'train.py: Cannot write {second}: [Errno 28] No space left on '
        'device. Nothing of it was written (no file was created; the '
        f'newest complete checkpoint, {first} (named in '
        f'{work_dir / "last_checkpoint"}), is untouched and --resume '
        'continues from it). Free space or fix the folder, then run again.')
    assert not second.exists()
    assert (work_dir / 'last_checkpoint').read_text() == str(first)
    # Written by this test a moment ago: trusted.
    assert torch.load(first, weights_only=False)['meta']['iter'] == 2
