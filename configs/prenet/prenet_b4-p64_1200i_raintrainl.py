# PReNet trained on the public synthetic RainTrainL, sized for 2 CPU cores
# (under 20 minutes with evaluation): the training split of RainTrainL (ids
# 1-158, 150 pairs in the development copy), 1,200 iterations of batch 4
# with 64x64 patches, evaluated at full size on the held-out split (ids
# 159-200, 39 pairs); see _base_/datasets/raintrain.py. Its twin
# prenet_b4-p64_1200i_rendered-rain100l.py trains the same network with the
# same budget on the same clean images with our rendered rain instead: the
# gap between the two on the held-out split measures how close the rendered
# rain is to RainTrainL's.
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/models/prenet.py',
    '../_base_/datasets/raintrain.py',
]

experiment_name = 'prenet_b4-p64_1200i_raintrainl'
work_dir = f'./work_dirs/{experiment_name}'
randomness = dict(seed=2021)

train_iters = 1200

train_dataloader = dict(
    batch_size=4,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=_base_.raintrainl_train)

# The held-out split, at full size. Training reads the same folder,
# so unlike in the demos this set is not optional here.
val_dataloader = dict(
    batch_size=1,
    num_workers=1,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=_base_.raintrainl_test)
val_evaluator = [
    dict(type='PSNR', convert_to='Y', prefix='Y'),
    dict(type='SSIM', convert_to='Y', prefix='Y'),
    dict(type='PSNR', prefix='RGB'),
    dict(type='SSIM', prefix='RGB'),
]
test_dataloader = val_dataloader
test_evaluator = val_evaluator

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=1e-3, betas=(0.9, 0.999)))
train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=train_iters, val_interval=train_iters)
val_cfg = dict(type='MultiValLoop')
test_cfg = dict(type='MultiTestLoop')
# PReNet's milestones (30/50/80 of 100 epochs) scaled to the short run.
param_scheduler = dict(
    type='MultiStepLR',
    by_epoch=False,
    milestones=[
        int(train_iters * 0.3),
        int(train_iters * 0.5),
        int(train_iters * 0.8)
    ],
    gamma=0.2)

default_hooks = dict(
    checkpoint=dict(interval=train_iters), logger=dict(interval=100))
