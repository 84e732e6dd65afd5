# Neural Reorganization (Xiao et al., ICCV 2021) on PReNet: one network
# learns Rain100H -> Rain800 -> Rain14000 -> Rain100L in turn, with
# Synaptic Consolidation (alpha_l=0.008, tau_s=1, tau_l=10, so
# alpha_s=0.5789 by Eq. 6) and Knowledge Distillation (lambda=0.8).
# Every task uses PReNet's own recipe (batch 18, 100x100 patches, Adam 1e-3,
# 100 epochs, lr x0.2 at epochs 30/50/80). An epoch is one pass over every
# patch of PReNet's patch grid (configs/_base_/datasets/rain_datasets.py):
# SequentialTrainLoop converts max_epochs with len(dataloader), which with
# the InfiniteSampler is ceil(patches / 18) on one GPU, as in the original:
#   rain100h   18,810 patches -> 1,045 iterations per epoch, 104,500 in all
#   rain800    ceil(sum over the 700 pairs of
#              len(range(0, H - 99, 80)) * len(range(0, W/2 - 99, 80)) / 18)
#   rain14000  ceil(sum over the 12,600 pairs of
#              len(range(0, H - 99, 100)) * len(range(0, W - 99, 100)) / 18)
#   rain100l   6,000 patches -> 334 iterations per epoch, 33,400 in all
# (Rain800 and Rain12600 sizes vary: counted from the file headers when the
# loop builds the datasets.) After every task the network is
# evaluated on all four test sets and SPA-Data (generalization); the matrix
# goes to sequence_eval.{json,csv,png} in the work directory.
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/models/prenet.py',
    '../_base_/schedules/prenet_100e.py',
    '../_base_/datasets/rain_datasets.py',
]

experiment_name = 'prenet_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(
    type='DistillEditModel',
    distill_loss=dict(
        type='DistillationLoss',
        loss_weight=0.8,
        criterion=dict(type='SSIMLoss')))

optim_wrapper = dict(type='MaskedOptimWrapper')
# Schedules restart with every task: see train_cfg.
param_scheduler = None

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
# mmengine's Runner requires a train_dataloader: the first task's loader.
train_dataloader = task_loaders[0]
train_cfg = dict(
    _delete_=True,
    type='SequentialTrainLoop',
    tasks=[
        dict(name=name, max_epochs=task_epochs, dataloader=loader)
        for name, loader in zip(task_sets, task_loaders)
    ],
    param_scheduler=dict(
        type='MultiStepLR',
        by_epoch=True,
        milestones=[30, 50, 80],
        gamma=0.2,
        convert_to_iter_based=True))

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
test_dataloader = eval_dataloaders
test_evaluator = eval_evaluators

# The three parts, so that baselines and ablations can pick some.
sc_hook = dict(
    type='SynapticConsolidationHook',
    alpha_l=0.008,
    tau_s=1,
    tau_l=10,
    threshold='global',
    # Fig. 3b literally: every task adds its own top P(n) to the union
    # (prenet_nr-free-rank_*: disjoint shares of Eq. 3 instead).
    rank_free_only=False,
    # Eq. 1 on every sample's own gradient (prenet_nr-per-batch_*: per
    # batch).
    per_sample=True,
    loss_keys=['loss_pix'])
kd_hook = dict(type='TeacherSnapshotHook')
# Continual-learning baselines, each with optim_wrapper type
# 'PenaltyOptimWrapper' and no distillation. Penalty weights are chosen
# on synthetic validation renders only, by
# `tools/analysis_tools/nr_compare.py --grid` (README, "NR against
# continual-learning baselines"), 50 iterations per task: EWC best of
# 1e2/1e3/1e4/1e5 (24.26/24.57/24.98/24.60 dB), MAS
# best of 1/10/100 (24.40/24.92/24.59 dB), PIGWM best of 1/10/100
# (24.39/25.07/24.28 dB).
ewc_hook = dict(type='EWCHook', loss_weight=1e4, loss_keys=['loss_pix'])
mas_hook = dict(type='MASHook', loss_weight=10.0)
pigwm_hook = dict(type='PIGWMHook', loss_weight=10.0, loss_keys=['loss_pix'])
eval_hook = dict(
    type='SequenceEvalHook', task_sets=task_sets, extra_sets=extra_sets)
custom_hooks = [sc_hook, kd_hook, eval_hook]
# Bytes of what each method keeps besides the network (masks, importance,
# anchors, teacher) go to extra_state.json after every task.
default_hooks = dict(footprint=dict(type='StateFootprintHook'))
