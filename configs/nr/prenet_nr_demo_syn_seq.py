# CPU demo of Neural Reorganization: the sequence of prenet_rain_seq.py on
# locally rendered rain (SyntheticRainDataset presets imitating Rain100H ->
# Rain800 -> Rain14000 -> Rain100L; a held-out rain style stands in for
# SPA-Data), sized to finish in minutes on 2 CPU cores: PReNet with 4
# stages, batch 4 of 64x64 patches, 500 iterations per task with PReNet's
# schedule scaled to them (lr x0.2 at 30/50/80%).
# Generalization is measured on the held-out rain style and, when
# data/RainTrainL is there, on real rain: the held-out split of RainTrainL
# (ids 159-200, 192x192 centre crops; see _base_/datasets/real_rain.py).
# Without that folder the real set is left out with a message.
_base_ = [
    './prenet_rain_seq.py', '../_base_/datasets/synthetic_rain.py',
    '../_base_/datasets/real_rain.py'
]

experiment_name = 'prenet_nr_demo_syn_seq'
work_dir = f'./work_dirs/{experiment_name}'
randomness = dict(seed=2021)

model = dict(generator=dict(num_stages=4))

demo_iters = 500
demo_batch = 4
# One pass over a task's training set (used by the importance estimate of
# Synaptic Consolidation) is demo_train_samples freshly rendered patches.
demo_train_samples = 32
task_sets = ['syn_rain100h', 'syn_rain800', 'syn_rain14000', 'syn_rain100l']
syn_extra_sets = ['syn_heldout']
extra_sets = syn_extra_sets + [_base_.real_crop_test_name]
train_datasets = [
    dict(
        _base_[f'{name}_train'], num_samples=demo_train_samples, img_size=64)
    for name in task_sets
]
eval_datasets = [
    dict(_base_[f'{name}_test'], img_size=96)
    for name in task_sets + syn_extra_sets
]

task_loaders = [
    dict(
        batch_size=demo_batch,
        num_workers=0,
        sampler=_base_.train_sampler,
        dataset=dataset) for dataset in train_datasets
]
train_dataloader = dict(task_loaders[0], _delete_=True)
train_cfg = dict(
    tasks=[
        dict(name=name, max_iters=demo_iters, dataloader=loader)
        for name, loader in zip(task_sets, task_loaders)
    ],
    param_scheduler=dict(
        _delete_=True,
        type='MultiStepLR',
        by_epoch=False,
        milestones=[
            int(demo_iters * 0.3),
            int(demo_iters * 0.5),
            int(demo_iters * 0.8)
        ],
        gamma=0.2))

eval_dataloaders = [
    dict(
        batch_size=1,
        num_workers=0,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dataset) for dataset in eval_datasets
] + [_base_.real_rain100l_test_crop_loader]
eval_evaluators = [[
    dict(type='PSNR', convert_to='Y', prefix=f'{name}-Y'),
    dict(type='SSIM', convert_to='Y', prefix=f'{name}-Y'),
    dict(type='PSNR', prefix=f'{name}-RGB'),
    dict(type='SSIM', prefix=f'{name}-RGB'),
] for name in task_sets + extra_sets]
val_dataloader = eval_dataloaders
val_evaluator = eval_evaluators
test_dataloader = eval_dataloaders
test_evaluator = eval_evaluators

default_hooks = dict(
    logger=dict(interval=50), checkpoint=dict(interval=demo_iters))
eval_hook = dict(
    type='SequenceEvalHook', task_sets=task_sets, extra_sets=extra_sets)
custom_hooks = [_base_.sc_hook, _base_.kd_hook, eval_hook]
