"""Tiny in-memory pieces to run Neural Reorganization's engine parts in a
real mmengine Runner on the CPU within seconds."""
import copy

import numpy as np
import torch
from mmagic.registry import DATASETS, MODELS
from mmagic.structures import DataSample
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.model import BaseModel
from torch import nn
from torch.utils.data import Dataset

import mmderain  # noqa: F401


# Six samples of a two-feature regression; tests on one process use the
# first four, the two-rank tests split all six unevenly.
REGRESSION_X = torch.tensor([[1.0, 2.0], [-1.0, 0.5], [3.0, -2.0], [0.5, 0.5],
                             [2.0, 1.0], [-0.5, -1.5]])
REGRESSION_Y = torch.tensor([1.0, -2.0, 0.0, 4.0, 1.5, -1.0])


class LinearRegression(BaseModel):
    """pred = x.w + b with a squared loss: every gradient, per sample or per
    batch, is known in closed form."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.tensor([0.5, -1.0]))
        self.b = nn.Parameter(torch.tensor(0.25))

    def forward(self, inputs, data_samples=None, mode='tensor'):
        pred = torch.stack(list(inputs)) @ self.w + self.b
        if mode == 'tensor':
            return pred
        return dict(loss=((pred - torch.stack(list(data_samples)))**2).mean())


def regression_batches(rows):
    """One-sample batches of the given rows of the regression data."""
    return [
        dict(
            inputs=list(REGRESSION_X[i:i + 1]),
            data_samples=list(REGRESSION_Y[i:i + 1])) for i in rows
    ]


@MODELS.register_module(name='NRToyNet', force=True)
class NRToyNet(nn.Module):
    """A two-conv residual de-raining network."""

    def __init__(self, mid_channels: int = 4) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, mid_channels, 3, padding=1)
        self.conv2 = nn.Conv2d(mid_channels, 3, 3, padding=1)

    def forward(self, x):
        return x + self.conv2(torch.relu(self.conv1(x)))


@DATASETS.register_module(name='NRToyDataset', force=True)
class NRToyDataset(Dataset):
    """Rainy/clean pairs whose clean images sit around ``level``; the
    rainy image gets a random flip from numpy's global generator, like a
    random augmentation would."""

    def __init__(self, level: int, length: int = 6, size: int = 16) -> None:
        self.level = level
        self.length = length
        self.size = size

    @property
    def metainfo(self) -> dict:
        return dict(dataset_type='nr_toy')

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int) -> dict:
        rng = np.random.default_rng(index + 1000 * self.level)
        gt = self.level + rng.integers(0, 20, (3, self.size, self.size))
        rain = gt + rng.integers(0, 60, (3, self.size, self.size)) * (
            rng.random((1, self.size, self.size)) > 0.8)
        if np.random.rand() < 0.5:
            gt, rain = gt[..., ::-1], rain[..., ::-1]
        gt = torch.from_numpy(np.clip(gt, 0, 255).astype(np.uint8).copy())
        rain = torch.from_numpy(np.clip(rain, 0, 255).astype(np.uint8).copy())
        sample = DataSample(gt_img=gt.float())
        sample.set_metainfo(dict(level=self.level, index=index))
        return dict(inputs=rain.float(), data_samples=sample)


class EventRecorder(Hook):
    """Record task events, batch sources and learning rates."""

    def __init__(self) -> None:
        self.events = []
        self.levels = []
        self.lrs = []
        self.state_sizes = {}

    def before_task(self, runner, task_idx):
        self.events.append(('before_task', task_idx, runner.iter))
        self.state_sizes[task_idx] = len(runner.optim_wrapper.optimizer.state)

    def after_task(self, runner, task_idx):
        self.events.append(('after_task', task_idx, runner.iter))

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        self.levels.append(data_batch['data_samples'][0].metainfo['level'])
        self.lrs.append(runner.optim_wrapper.get_lr()['lr'][0])


def _loader(level, batch_size=2, shuffle=True):
    sampler = 'InfiniteSampler' if shuffle else 'DefaultSampler'
    return dict(
        batch_size=batch_size,
        num_workers=0,
        sampler=dict(type=sampler, shuffle=shuffle),
        dataset=dict(type='NRToyDataset', level=level))


# Knowledge Distillation of the toy runs: Eq. 7 with an L1 criterion.
TOY_KD_HOOK = dict(
    type='TeacherSnapshotHook',
    distill_loss=dict(
        type='DistillationLoss', loss_weight=0.8,
        criterion=dict(type='L1Loss')))


def toy_cfg(work_dir: str,
            task_iters=(4, 4),
            nr: bool = True,
            evaluate: bool = False,
            **loop_kwargs) -> Config:
    """A Runner config training NRToyNet on ``len(task_iters)`` toy
    tasks."""
    levels = [40 * (i + 1) for i in range(len(task_iters))]
    names = [f'toy{level}' for level in levels]
    tasks = [
        dict(name=name, dataloader=_loader(level), max_iters=iters)
        for name, level, iters in zip(names, levels, task_iters)
    ]
    cfg = dict(
        default_scope='mmagic',
        work_dir=work_dir,
        experiment_name=f'nr_toy_{id(tasks)}',
        randomness=dict(seed=3),
        model=dict(
            type='DistillEditModel',
            generator=dict(type='NRToyNet'),
            pixel_loss=dict(type='L1Loss'),
            data_preprocessor=dict(
                type='DataPreprocessor', mean=[0., 0., 0.],
                std=[255., 255., 255.])),
        train_dataloader=_loader(levels[0]),
        train_cfg=dict(
            type='SequentialTrainLoop',
            tasks=tasks,
            param_scheduler=dict(
                type='MultiStepLR', by_epoch=False, milestones=[2],
                gamma=0.5),
            **loop_kwargs),
        optim_wrapper=dict(
            type='MaskedOptimWrapper' if nr else 'OptimWrapper',
            optimizer=dict(type='AdamW', lr=1e-2, weight_decay=0.1)),
        default_hooks=dict(
            logger=dict(type='LoggerHook', interval=100),
            param_scheduler=dict(type='ParamSchedulerHook'),
            checkpoint=dict(
                type='CheckpointHook', interval=1, by_epoch=False)),
        log_processor=dict(by_epoch=False),
        custom_hooks=[],
        env_cfg=dict(dist_cfg=dict(backend='gloo')),
    )
    if nr:
        cfg['custom_hooks'] += [
            dict(type='SynapticConsolidationHook', loss_keys=['loss_pix']),
            TOY_KD_HOOK,
        ]
    if evaluate:
        sets = names + ['heldout']
        cfg.update(
            val_dataloader=[
                _loader(level, 3, shuffle=False) for level in levels + [200]
            ],
            val_evaluator=[[
                dict(type='PSNR', prefix=f'{name}-RGB'),
                dict(type='SSIM', prefix=f'{name}-RGB'),
            ] for name in sets],
            val_cfg=dict(type='MultiValLoop'))
        cfg['custom_hooks'].append(
            dict(
                type='SequenceEvalHook',
                task_sets=names,
                extra_sets=['heldout'],
                metrics=['RGB/PSNR', 'RGB/SSIM']))
    return Config(copy.deepcopy(cfg))
