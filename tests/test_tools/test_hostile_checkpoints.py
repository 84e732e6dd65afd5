"""Every tool refuses a checkpoint whose pickle would run a command, with one
message naming the file and the reason, and without running the command."""
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
from hostile_pickles import RunsACommand, issue_payload

pytestmark = pytest.mark.e2e

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'tests', 'data', 'configs',
                  'tiny_nr_demo_rendered_seq.py')


def test_every_tool_refuses_a_hostile_checkpoint(tmp_path):
    marker = tmp_path / 'pwned'
    ckpt = str(tmp_path / 'hostile.pth')
    torch.save(
        dict(state_dict=dict(w=torch.ones(1)), meta=RunsACommand(marker)),
        ckpt)
    # The payload of the report, by path and by automatic resume from the
    # work directory's last_checkpoint.
    evil = str(tmp_path / 'evil.pth')
    torch.save(issue_payload(marker), evil)
    auto_work = tmp_path / 'auto'
    auto_work.mkdir()
    (auto_work / 'last_checkpoint').write_text(evil)
    image = tmp_path / 'rainy.png'
    image.write_bytes(b'')
    tool = osp.join(ROOT, 'tools', '{}.py').format
    work = str(tmp_path / 'work')
    commands = {
        'train --resume': [tool('train'), CONFIG, '--work-dir', work,
                           '--resume', ckpt],
        'train --resume payload': [tool('train'), CONFIG, '--work-dir',
                                   work, '--resume', evil],
        'train auto-resume payload': [tool('train'), CONFIG, '--work-dir',
                                      str(auto_work), '--resume'],
        'train load_from': [tool('train'), CONFIG, '--work-dir', work,
                            '--cfg-options', f'load_from={ckpt}'],
        'test': [tool('test'), CONFIG, ckpt, '--work-dir', work],
        'derain': [tool('derain'), CONFIG, ckpt, str(image), '--out', work,
                   '--device', 'cpu'],
        'converter': [
            osp.join(ROOT, 'tools', 'model_converters',
                     'prenet_to_mmderain.py'), ckpt,
            str(tmp_path / 'out.pth')
        ],
    }
    # Started together: each spends most of its time importing.
    procs = {
        name: subprocess.Popen([sys.executable, *cmd],
                               cwd=ROOT,
                               env=dict(os.environ, OMP_NUM_THREADS='1'),
                               stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE,
                               text=True)
        for name, cmd in commands.items()
    }
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=300)
        assert proc.returncode != 0, name
        refused = evil if 'payload' in name else ckpt
        assert f'Refused to load checkpoint "{refused}"' in err, (
            name, err[-3000:])
        assert 'could run code' in err, name
    assert not marker.exists()
    assert not osp.exists(tmp_path / 'out.pth')
