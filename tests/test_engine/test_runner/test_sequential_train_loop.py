import json
import os.path as osp

import pytest
import torch
from mmagic.registry import DATASETS
from mmagic.structures import DataSample
from mmengine.runner import Runner
from nr_toys import TOY_KD_HOOK, EventRecorder, toy_cfg
from torch.utils.data import Dataset

from mmderain.datasets.transforms.random_state import fresh_rng
from mmderain.utils.checkpoint import load_checkpoint_file


def _train(cfg, recorder=None):
    runner = Runner.from_cfg(cfg)
    if recorder is not None:
        runner.register_hook(recorder)
    runner.train()
    return runner


def _weights(runner):
    return {k: v.clone() for k, v in runner.model.state_dict().items()}


def test_switches_tasks_and_restarts_schedule(tmp_path):
    recorder = EventRecorder()
    cfg = toy_cfg(str(tmp_path), task_iters=(3, 5), nr=False, evaluate=True)
    runner = _train(cfg, recorder)

    assert recorder.levels == [40] * 3 + [80] * 5
    assert recorder.events == [('before_task', 0, 0), ('after_task', 0, 3),
                               ('before_task', 1, 3), ('after_task', 1, 8)]
    # MultiStepLR(milestones=[2], gamma=0.5) restarts with every task.
    assert recorder.lrs == pytest.approx([1e-2, 1e-2, 5e-3] +
                                         [1e-2, 1e-2, 5e-3, 5e-3, 5e-3])
    # Adam's state was cleared at the start of the second task.
    assert recorder.state_sizes == {0: 0, 1: 0}
    assert runner.iter == 8 and runner.epoch == 2

    assert runner.train_loop.runner is runner
    assert runner.train_loop.dataloader is runner.train_loop.dataloaders[1]
    # A task checkpoint stores the tasks finished and the next iteration.
    for name, epoch, iteration in (('task0_toy40.pth', 1, 3),
                                   ('task1_toy80.pth', 2, 8)):
        meta = load_checkpoint_file(osp.join(str(tmp_path), name))['meta']
        assert (meta['epoch'], meta['iter']) == (epoch, iteration)
    with open(osp.join(str(tmp_path), 'last_checkpoint')) as f:
        assert f.read().endswith('task1_toy80.pth')
    with open(osp.join(str(tmp_path), 'sequence_eval.json')) as f:
        result = json.load(f)
    assert [row['task_name'] for row in result['rows']] == ['toy40', 'toy80']
    assert set(result['rows'][0]['values']['RGB/PSNR']) == {
        'toy40', 'toy80', 'heldout'
    }
    assert result['summary']['RGB/PSNR']['backward_transfer'] is not None
    for ext in ('csv', 'png'):
        assert osp.isfile(osp.join(str(tmp_path), f'sequence_eval.{ext}'))


@pytest.mark.parametrize('checkpoint', [
    'iter_2.pth',  # in the middle of task 0
    'iter_4.pth',  # last iteration of task 0, saved before after_task
    'task0_toy40.pth',  # after task 0's after_task
    'iter_7.pth',  # in the middle of task 1, with a teacher and masks
])
def test_resume_gives_same_final_weights(tmp_path, checkpoint):
    full = _train(toy_cfg(str(tmp_path / 'full'), task_iters=(4, 4, 3)))
    expected = _weights(full)
    sc_hook = next(h for h in full.hooks
                   if type(h).__name__ == 'SynapticConsolidationHook')
    expected_masks = {k: v.clone() for k, v in sc_hook.masks.items()}
    assert full.optim_wrapper.num_frozen > 0

    cfg = toy_cfg(str(tmp_path / 'resumed'), task_iters=(4, 4, 3))
    cfg.resume = True
    cfg.load_from = str(tmp_path / 'full' / checkpoint)
    resumed = _train(cfg)

    assert resumed.iter == 11 and resumed.epoch == 3
    got = _weights(resumed)
    assert got.keys() == expected.keys()
    for key in expected:
        assert torch.equal(got[key], expected[key]), key
    sc_resumed = next(h for h in resumed.hooks
                      if type(h).__name__ == 'SynapticConsolidationHook')
    for key in expected_masks:
        assert torch.equal(sc_resumed.masks[key], expected_masks[key]), key


def test_rejects_broken_task_configs(tmp_path):
    cfg = toy_cfg(str(tmp_path), task_iters=(2, 2), nr=False)
    cfg.train_cfg.tasks[1].max_epochs = 3
    with pytest.raises(ValueError, match=r'tasks\[1\].*exactly one'):
        Runner.from_cfg(cfg).train()

    cfg = toy_cfg(str(tmp_path), task_iters=(2, 0), nr=False)
    with pytest.raises(ValueError, match=r'tasks\[1\]\.max_iters'):
        Runner.from_cfg(cfg).train()

    cfg = toy_cfg(str(tmp_path), task_iters=(2, 2), nr=False)
    cfg.train_cfg.param_scheduler = dict(type='MultiStepLR', milestones=[1])
    with pytest.raises(ValueError, match='convert_to_iter_based'):
        Runner.from_cfg(cfg).train()

    cfg = toy_cfg(str(tmp_path), task_iters=(2, 2), nr=False)
    cfg.param_scheduler = dict(
        type='MultiStepLR', by_epoch=False, milestones=[1])
    with pytest.raises(ValueError, match='per task'):
        Runner.from_cfg(cfg).train()


def test_max_epochs_converts_with_loader_length(tmp_path):
    cfg = toy_cfg(str(tmp_path), task_iters=(2, 2), nr=False)
    del cfg.train_cfg.tasks[1]['max_iters']
    cfg.train_cfg.tasks[1].max_epochs = 2  # 6 samples, batch 2
    runner = Runner.from_cfg(cfg)
    assert runner.train_loop.task_iters == [2, 6]
    assert runner.train_loop.max_iters == 8


@pytest.mark.parametrize('hook', [
    dict(type='SynapticConsolidationHook', loss_keys=['loss_pix']),
    TOY_KD_HOOK,
    dict(type='SequenceEvalHook', task_sets=['toy40'], metrics=['RGB/PSNR']),
])
def test_nr_hooks_refuse_a_loop_without_tasks(tmp_path, hook):
    cfg = toy_cfg(str(tmp_path), task_iters=(2, ))
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=2)
    cfg.custom_hooks = [hook]
    runner = Runner.from_cfg(cfg)
    with pytest.raises(TypeError,
                       match=f"{hook['type']} acts at task boundaries.*"
                       'IterBasedTrainLoop'):
        runner.train()
    assert runner.iter == 0


def test_resume_with_other_evaluation_sets_is_an_error(tmp_path):
    _train(toy_cfg(str(tmp_path / 'full'), task_iters=(2, 2),
                   evaluate=True))
    cfg = toy_cfg(str(tmp_path / 'resumed'), task_iters=(2, 2),
                  evaluate=True)
    eval_hook = cfg.custom_hooks[-1]
    eval_hook.metrics = ['RGB/PSNR']
    cfg.resume = True
    cfg.load_from = str(tmp_path / 'full' / 'task0_toy40.pth')
    with pytest.raises(ValueError,
                       match='cannot resume: the checkpoint recorded sets'):
        _train(cfg)


@DATASETS.register_module(name='FreshRainToyDataset', force=True)
class FreshRainToyDataset(Dataset):
    """Toy pairs whose rain is drawn with fresh_rng on every fetch, as the
    rendered-rain datasets draw it."""

    metainfo = dict(dataset_type='fresh_rain_toy')

    def __init__(self, level=40):
        self.level = level

    def __len__(self):
        return 6

    def __getitem__(self, index):
        rng = fresh_rng(0, index)
        gt = torch.full((3, 8, 8), self.level + index)
        rain = gt + torch.from_numpy(rng.integers(0, 60, (3, 8, 8))).float()
        sample = DataSample(gt_img=gt)
        sample.set_metainfo(dict(index=index))
        return dict(inputs=rain, data_samples=sample)


def _worker_cfg(work_dir):
    cfg = toy_cfg(work_dir, task_iters=(4, 4))
    for task in cfg.train_cfg.tasks:
        task.dataloader.update(
            num_workers=1, persistent_workers=False)
        task.dataloader.dataset.type = 'FreshRainToyDataset'
    cfg.train_dataloader = cfg.train_cfg.tasks[0].dataloader
    return cfg


@pytest.mark.parametrize('checkpoint', ['iter_4.pth', 'iter_6.pth'])
def test_resume_repeats_worker_rain(tmp_path, checkpoint):
    # iter_4 is task 0's last iteration, saved before after_task: the
    # resumed run estimates importance on workers of a loader it never
    # trained on.
    full = _train(_worker_cfg(str(tmp_path / 'full')))
    cfg = _worker_cfg(str(tmp_path / 'resumed'))
    cfg.resume = True
    cfg.load_from = str(tmp_path / 'full' / checkpoint)
    resumed = _train(cfg)
    expected, got = _weights(full), _weights(resumed)
    for key in expected:
        assert torch.equal(got[key], expected[key]), key
