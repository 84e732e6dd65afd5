"""Resumed and killed Neural Reorganization runs repeat the uninterrupted
one bit for bit: the NR demo (configs/nr/prenet_nr_demo_rendered_seq.py, shrunk
by tests/data/configs/tiny_nr_demo_rendered_seq.py to 4 tasks of 3 iterations)
trained through tools/train.py in fresh processes."""
import json
import os
import os.path as osp
import signal
import subprocess
import sys
import time

import pytest
import torch
from tool_runs import assert_identical, run_tool

import mmderain  # noqa: F401  (allow-lists checkpoint classes)

pytestmark = pytest.mark.e2e

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'tests', 'data', 'configs',
                  'tiny_nr_demo_rendered_seq.py')
TRAIN = osp.join(ROOT, 'tools', 'train.py')
# 4 tasks x 3 iterations: task 2 runs iterations 7-9.
LAST = 'iter_12.pth'


def _train(work_dir, *extra):
    proc = run_tool(TRAIN, CONFIG, '--work-dir', work_dir, *extra)
    return proc.stdout + proc.stderr


def _load(path):
    return torch.load(path, map_location='cpu', weights_only=True)


def assert_same_science(expected_dir, got_dir):
    """Final weights, NR state (importance, masks, teacher) and the
    evaluation matrix of two runs are identical."""
    expected, got = _load(osp.join(expected_dir, LAST)), _load(
        osp.join(got_dir, LAST))
    for key in ('state_dict', 'synaptic_consolidation', 'teacher_snapshot',
                'sequence_eval'):
        assert_identical(expected[key], got[key], key)
    with open(osp.join(expected_dir, 'sequence_eval.json')) as f:
        expected_matrix = json.load(f)
    with open(osp.join(got_dir, 'sequence_eval.json')) as f:
        assert json.load(f) == expected_matrix
    assert len(expected_matrix['rows']) == 4


@pytest.fixture(scope='module')
def full_run(tmp_path_factory):
    work_dir = str(tmp_path_factory.mktemp('full'))
    _train(work_dir)
    return work_dir


def test_resume_in_task_1_repeats_the_data(full_run, tmp_path):
    # iter_5 lies in task 1: before the fix the rendered rain restarted
    # from the process's first draw and 12 of 26 tensors differed.
    work_dir = str(tmp_path / 'resumed')
    out = _train(work_dir, '--resume', osp.join(full_run, 'iter_5.pth'))
    assert 'Resuming task 1 (rendered_rain800) at its iteration 2' in out
    assert_same_science(full_run, work_dir)


def _names_iter_7(pointer):
    try:
        with open(pointer) as f:
            return f.read().strip().endswith('iter_7.pth')
    except OSError:
        return False


def test_killed_in_task_2_and_resumed_loses_nothing(full_run, tmp_path):
    work_dir = str(tmp_path / 'killed')
    log = open(tmp_path / 'killed.log', 'w')
    proc = subprocess.Popen([sys.executable, TRAIN, CONFIG, '--work-dir',
                             work_dir],
                            cwd=ROOT,
                            env=dict(os.environ, OMP_NUM_THREADS='1'),
                            stdout=log,
                            stderr=log)
    # iter_7.pth is task 2's first checkpoint: kill as soon as
    # last_checkpoint names it.
    deadline = time.time() + 600
    while not _names_iter_7(osp.join(work_dir, 'last_checkpoint')):
        assert proc.poll() is None, open(tmp_path / 'killed.log').read()
        assert time.time() < deadline, 'no checkpoint in task 2'
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    log.close()
    assert not osp.exists(osp.join(work_dir, LAST))

    out = _train(work_dir, '--resume')
    assert 'Resuming task 2 (rendered_rain14000)' in out, out[-2000:]
    assert_same_science(full_run, work_dir)
