# The task sequence of rain_seq.py on locally rendered rain, sized for a
# CPU demo (minutes on 2 cores): RenderedRainDataset presets imitating
# Rain100H -> Rain800 -> Rain14000 -> Rain100L, batch 4 of 64x64 patches,
# 500 iterations per task with PReNet's schedule scaled to them (lr x0.2 at
# 30/50/80%). Generalization is measured on a held-out rendered rain style
# (a stand-in for SPA-Data) and, each when its folder is there (else left
# out with a message), on the 192x192 centre crops of
# - public synthetic rain: the held-out split of RainTrainL (ids 159-200),
#   light rain of the last task's kind, and all of RainTrainH, heavy rain
#   never trained on (_base_/datasets/raintrain.py);
# - real rain: pairs made from a static-camera video
#   (_base_/datasets/real_video_pairs.py).
_base_ = [
    '../default_runtime.py', '../datasets/rendered_rain.py',
    '../datasets/raintrain.py', '../datasets/real_video_pairs.py'
]

randomness = dict(seed=2021)
demo_iters = 500
demo_batch = 4
# One pass over a task's training set (used by the importance estimate of
# Synaptic Consolidation) is demo_train_samples freshly rendered patches.
demo_train_samples = 32
# PReNet's milestones (epochs 30/50/80 of 100) as fractions of a task.
milestone_fractions = [0.3, 0.5, 0.8]
train_sampler = dict(type='InfiniteSampler', shuffle=True)

task_sets = [
    'rendered_rain100h', 'rendered_rain800', 'rendered_rain14000',
    'rendered_rain100l'
]
rendered_extra_sets = ['rendered_heldout']
# The optional sets, in the order of their loaders below.
optional_sets = [
    _base_.raintrainl_crop_test_name, _base_.raintrainh_crop_test_name,
    _base_.real_video_crop_test_name
]
extra_sets = rendered_extra_sets + optional_sets
train_datasets = [
    dict(
        _base_[f'{name}_train'], num_samples=demo_train_samples, img_size=64)
    for name in task_sets
]
eval_datasets = [
    dict(_base_[f'{name}_test'], img_size=96)
    for name in task_sets + rendered_extra_sets
]

task_loaders = [
    dict(
        batch_size=demo_batch,
        num_workers=0,
        sampler=train_sampler,
        dataset=dataset) for dataset in train_datasets
]
sequence_tasks = [
    dict(name=name, max_iters=demo_iters, dataloader=loader)
    for name, loader in zip(task_sets, task_loaders)
]
# mmengine's Runner requires a train_dataloader: the first task's loader.
train_dataloader = task_loaders[0]
train_cfg = dict(
    type='SequentialTrainLoop',
    tasks=sequence_tasks,
    param_scheduler=dict(
        type='MultiStepLR',
        by_epoch=False,
        milestones=[int(demo_iters * f) for f in milestone_fractions],
        gamma=0.2))
# Schedules restart with every task: see train_cfg.
param_scheduler = None
# Without frozen masks MaskedOptimWrapper steps exactly as OptimWrapper:
# every method trains with it, Synaptic Consolidation sets the masks.
optim_wrapper = dict(
    type='MaskedOptimWrapper',
    optimizer=dict(type='Adam', lr=1e-3, betas=(0.9, 0.999)))

# The Mix baseline: the four training sets mixed into one task of as many
# iterations as the whole sequence; its config takes mix_loader, mix_task
# and mix_milestones instead of the sequence.
mix_loader = dict(
    task_loaders[0],
    dataset=dict(
        type='ConcatDataset',
        datasets=train_datasets,
        ignore_keys=['dataset_type']))
mix_iters = demo_iters * len(task_sets)
mix_task = dict(name='mix', max_iters=mix_iters, dataloader=mix_loader)
mix_milestones = [int(mix_iters * f) for f in milestone_fractions]

eval_dataloaders = [
    dict(
        batch_size=1,
        num_workers=0,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dataset) for dataset in eval_datasets
] + [
    _base_.raintrainl_test_crop_loader, _base_.raintrainh_test_crop_loader,
    _base_.real_video_test_crop_loader
]
eval_evaluators = [[
    dict(type='PSNR', convert_to='Y', prefix=f'{name}-Y'),
    dict(type='SSIM', convert_to='Y', prefix=f'{name}-Y'),
    dict(type='PSNR', prefix=f'{name}-RGB'),
    dict(type='SSIM', prefix=f'{name}-RGB'),
] for name in task_sets + extra_sets]

val_dataloader = eval_dataloaders
val_evaluator = eval_evaluators
val_cfg = dict(type='MultiValLoop')
test_dataloader = eval_dataloaders
test_evaluator = eval_evaluators
test_cfg = dict(type='MultiTestLoop')

default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=demo_iters),
    # The matrix of every task's network on every set (rows after each
    # task), with average, backward transfer and forgetting.
    sequence_eval=dict(
        type='SequenceEvalHook', task_sets=task_sets, extra_sets=extra_sets),
    # Bytes of what each method keeps besides the network (masks,
    # importance, anchors, teacher) go to extra_state.json after every task.
    footprint=dict(type='StateFootprintHook'))
