# The task sequence of Neural Reorganization (Xiao et al., ICCV 2021):
# Rain100H -> Rain800 -> Rain14000 -> Rain100L, one network trained on each
# in turn with PReNet's own recipe (batch 18, 100x100 patches, Adam 1e-3,
# 100 epochs, lr x0.2 at epochs 30/50/80), restarted with every task.
# An epoch is one pass over every patch of PReNet's patch grid
# (configs/_base_/datasets/rain_datasets.py): SequentialTrainLoop converts
# max_epochs with len(dataloader), which with the InfiniteSampler is
# ceil(patches / 18) on one GPU, as in the original:
#   rain100h   18,810 patches -> 1,045 iterations per epoch, 104,500 in all
#   rain800    ceil(sum over the 700 pairs of
#              len(range(0, H - 99, 80)) * len(range(0, W/2 - 99, 80)) / 18)
#   rain14000  ceil(sum over the 12,600 pairs of
#              len(range(0, H - 99, 100)) * len(range(0, W - 99, 100)) / 18)
#   rain100l   6,000 patches -> 334 iterations per epoch, 33,400 in all
# (Rain800 and Rain12600 sizes vary: counted from the file headers when the
# loop builds the datasets.) After every task the network is evaluated on
# all four test sets and SPA-Data (generalization); the matrix goes to
# sequence_eval.{json,csv,png} in the work directory.
_base_ = ['../default_runtime.py', '../datasets/rain_datasets.py']

train_batch_size = 18
train_workers = 4
task_epochs = 100
train_sampler = dict(type='InfiniteSampler', shuffle=True)

# Test sets of the tasks (training order), then the generalization set.
task_sets = ['rain100h', 'rain800', 'rain14000', 'rain100l']
extra_sets = ['spa']
train_datasets = [
    _base_.rain100h_train, _base_.rain800_train, _base_.rain14000_train,
    _base_.rain100l_train
]
eval_datasets = [
    _base_.rain100h_test, _base_.rain800_test, _base_.rain14000_test,
    _base_.rain100l_test, _base_.spa_test
]

task_loaders = [
    dict(
        batch_size=train_batch_size,
        num_workers=train_workers,
        sampler=train_sampler,
        dataset=dataset) for dataset in train_datasets
]
sequence_tasks = [
    dict(name=name, max_epochs=task_epochs, dataloader=loader)
    for name, loader in zip(task_sets, task_loaders)
]
# mmengine's Runner requires a train_dataloader: the first task's loader.
train_dataloader = task_loaders[0]
train_cfg = dict(
    type='SequentialTrainLoop',
    tasks=sequence_tasks,
    param_scheduler=dict(
        type='MultiStepLR',
        by_epoch=True,
        milestones=[30, 50, 80],
        gamma=0.2,
        convert_to_iter_based=True))
# Schedules restart with every task: see train_cfg.
param_scheduler = None
# Without frozen masks MaskedOptimWrapper steps exactly as OptimWrapper:
# every method trains with it, Synaptic Consolidation sets the masks.
optim_wrapper = dict(
    type='MaskedOptimWrapper',
    optimizer=dict(type='Adam', lr=1e-3, betas=(0.9, 0.999)))

# The Mix baseline (Table 1) trains one task on the four training sets
# mixed, 100 epochs over the union of their patch grids, i.e.
# ceil((18,810 + Rain800's + Rain12600's + 6,000 patches) / 18) iterations
# per epoch (the sequence's total, up to the rounding of each task); its
# config takes mix_loader and mix_task instead of the sequence.
mix_loader = dict(
    task_loaders[0],
    dataset=dict(
        type='ConcatDataset',
        datasets=train_datasets,
        ignore_keys=['dataset_type']))
mix_task = dict(name='mix', max_epochs=task_epochs, dataloader=mix_loader)

eval_dataloaders = [
    dict(
        batch_size=1,
        num_workers=2,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dataset) for dataset in eval_datasets
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
    # The matrix of every task's network on every set (rows after each
    # task), with average, backward transfer and forgetting.
    sequence_eval=dict(
        type='SequenceEvalHook', task_sets=task_sets, extra_sets=extra_sets),
    # Bytes of what each method keeps besides the network (masks,
    # importance, anchors, teacher) go to extra_state.json after every task.
    footprint=dict(type='StateFootprintHook'))
