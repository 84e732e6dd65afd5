"""Distributed training with real processes: tools/train.py under
torch.distributed.run with two CPU (gloo) processes trains the NR demo
(tests/data/configs/tiny_nr_demo_rendered_seq.py) to the same science as one
process."""
import json
import os
import os.path as osp

import pytest
import torch
from tool_runs import assert_identical, free_port, run_tool

import mmderain  # noqa: F401  (allow-lists checkpoint classes)

pytestmark = pytest.mark.e2e

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TTL = osp.join(ROOT, 'configs', 'ttl')
TINY = osp.join(ROOT, 'tests', 'data', 'configs',
                'tiny_nr_demo_rendered_seq.py')
TRAIN = osp.join(ROOT, 'tools', 'train.py')
NUM_TASKS = 4

# After every task each rank saves what NR keeps (model, importance, masks,
# teacher) as its hooks would put it in a checkpoint; checkpoints themselves
# come from rank 0 only.
DUMP_HOOK = '''
import os.path as osp

import torch
from mmagic.registry import HOOKS
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper


@HOOKS.register_module(name='RankStateDump', force=True)
class RankStateDump(Hook):
    priority = 'LOWEST'

    def after_task(self, runner, task_idx):
        model = runner.model
        model = model.module if is_model_wrapper(model) else model
        state = dict(model=model.state_dict())
        for hook in runner.hooks:
            if type(hook).__name__ in ('SynapticConsolidationHook',
                                       'TeacherSnapshotHook'):
                hook.before_save_checkpoint(runner, state)
        torch.save(state, osp.join(runner.work_dir,
                                   f'rank{get_rank()}_task{task_idx}.pth'))

    def after_train(self, runner):
        model = runner.model
        model = model.module if is_model_wrapper(model) else model
        torch.save(model.state_dict(),
                   osp.join(runner.work_dir, f'rank{get_rank()}_final.pth'))
'''

# The batch is split over the ranks: batch 4 in one process is batch 2 on
# each of two. The rendered rain of a sample depends on how often the
# process drawing it drew it before, so each task is one pass over its 12
# samples (3 iterations x 4), and the random flip (numpy's global generator,
# whose draws depend on how samples are split) is left out: then one
# process and two ranks train on the same data.
CONFIG = '''
_base_ = [{tiny!r}]
custom_imports = dict(
    imports=['mmderain', 'rank_state_dump'], allow_failed_imports=False)
batch = {batch}
loaders = [
    dict(l, batch_size=batch,
         dataset=dict(l['dataset'], num_samples=12,
                      pipeline=[dict(type='PackInputs')]))
    for l in _base_.tiny_loaders
]
train_dataloader = dict(loaders[0], _delete_=True)
train_cfg = dict(tasks=[
    dict(t, dataloader=l) for t, l in zip(_base_.train_cfg.tasks, loaders)
])
custom_hooks = _base_.custom_hooks + [dict(type='RankStateDump')]
'''


def _run(tmp_path, *args):
    # The configs import the dump hook written into tmp_path.
    run_tool(*args, env=dict(PYTHONPATH=os.pathsep.join(
        [str(tmp_path), ROOT, os.environ.get('PYTHONPATH', '')])))


def _config(tmp_path, batch):
    path = tmp_path / f'tiny_nr_b{batch}.py'
    path.write_text(CONFIG.format(tiny=TINY, batch=batch))
    return str(path)


def _matrix(work_dir):
    with open(osp.join(work_dir, 'sequence_eval.json')) as f:
        return json.load(f)['rows']


def test_two_gloo_ranks_agree_and_match_one_process(tmp_path):
    (tmp_path / 'rank_state_dump.py').write_text(DUMP_HOOK)
    single = str(tmp_path / 'single')
    dist = str(tmp_path / 'dist')
    _run(tmp_path, TRAIN, _config(tmp_path, 4), '--work-dir', single)
    _run(tmp_path, '-m', 'torch.distributed.run', '--nproc_per_node=2',
         f'--master_port={free_port()}', TRAIN, _config(tmp_path, 2),
         '--work-dir', dist, '--launcher', 'pytorch')

    for task in range(NUM_TASKS):
        rank0 = torch.load(
            osp.join(dist, f'rank0_task{task}.pth'), weights_only=True)
        rank1 = torch.load(
            osp.join(dist, f'rank1_task{task}.pth'), weights_only=True)
        assert rank0['synaptic_consolidation']['masks'], task
        assert ('teacher_snapshot' in rank0) == (task > 0)
        assert_identical(rank0, rank1, f'task {task}')

    single_rows, dist_rows = _matrix(single), _matrix(dist)
    assert len(single_rows) == len(dist_rows) == NUM_TASKS
    for got, expected in zip(dist_rows, single_rows):
        for name, value in expected['values']['RGB/PSNR'].items():
            assert got['values']['RGB/PSNR'][name] == pytest.approx(
                value, abs=1e-4), (expected['task_name'], name)


# The TTL distillation stage
# (configs/ttl/aglf-vit_ttl-distill_demo_embedded.py) for 3 iterations,
# with teachers fabricated from the stage 1 and 2 models.
# Each iteration draws 4 new photos of 700, and the flip is left out, so one
# process and two ranks distil on the same data.
TTL_CONFIG = '''
_base_ = [{distill!r}]
custom_imports = dict(
    imports=['mmderain', 'rank_state_dump'], allow_failed_imports=False)
model = dict(recognition_checkpoint={recog!r},
             reconstruction_checkpoint={recon!r})
train_dataloader = dict(
    batch_size={batch}, num_workers=0, persistent_workers=False,
    dataset=dict(pipeline=[dict(type='PackInputs', keys='img')]))
train_cfg = dict(max_iters=3)
default_hooks = dict(logger=dict(interval=1), checkpoint=dict(interval=3))
custom_hooks = [dict(type='RankStateDump')]
'''


def _teacher(tmp_path, stage):
    from mmagic.registry import MODELS
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    init_default_scope('mmagic')
    cfg = Config.fromfile(
        osp.join(TTL, f'aglf-vit_ttl-{stage}_demo_embedded.py'))
    torch.manual_seed(len(stage))
    path = str(tmp_path / f'{stage}.pth')
    torch.save(dict(state_dict=MODELS.build(cfg.model).state_dict()), path)
    return path


def test_ttl_distillation_on_two_gloo_ranks_matches_one_process(tmp_path):
    (tmp_path / 'rank_state_dump.py').write_text(DUMP_HOOK)
    teachers = dict(
        recog=_teacher(tmp_path, 'recog'), recon=_teacher(tmp_path, 'recon'))
    configs = {}
    for batch in (4, 2):
        configs[batch] = tmp_path / f'ttl_distill_b{batch}.py'
        configs[batch].write_text(
            TTL_CONFIG.format(
                distill=osp.join(TTL, 'aglf-vit_ttl-distill_demo_embedded.py'),
                batch=batch,
                **teachers))
    single = str(tmp_path / 'single')
    dist = str(tmp_path / 'dist')
    _run(tmp_path, TRAIN, configs[4], '--work-dir', single)
    _run(tmp_path, '-m', 'torch.distributed.run', '--nproc_per_node=2',
         f'--master_port={free_port()}', TRAIN, configs[2], '--work-dir',
         dist, '--launcher', 'pytorch')

    def load(work_dir, rank):
        return torch.load(
            osp.join(work_dir, f'rank{rank}_final.pth'), weights_only=True)

    rank0, rank1, alone = load(dist, 0), load(dist, 1), load(single, 0)
    assert_identical(rank0, rank1, 'ranks')
    # The frozen teachers are the fabricated stage weights on every rank.
    recog = torch.load(teachers['recog'], weights_only=True)['state_dict']
    prefix = 'teachers.recognition.encoder.'
    assert any(k.startswith(prefix) for k in rank0)
    for key, value in rank0.items():
        # Adam moves a weight by up to 4e-4 per step: 5e-5 is float noise.
        torch.testing.assert_close(value, alone[key], rtol=1e-4, atol=5e-5)
        if key.startswith(prefix):
            assert torch.equal(value,
                               recog['encoder.' + key[len(prefix):]]), key
    assert any(k.startswith('student.') for k in rank0)
