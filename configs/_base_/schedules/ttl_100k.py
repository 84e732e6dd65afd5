# Optimization of Task Transfer Learning (Wang, Ma and Liu, "Removing Rain
# Streaks via Task Transfer Learning", Training details): Adam; lr 4e-4 for
# the transfer tasks, the distillation and the de-raining decoder, 4e-5 for
# the fine-tuned student encoder; all halved when the loss stops
# decreasing. Batch and length are not given in the paper: 8 and 100k
# iterations per stage here. A stage config adds its model and dataset
# (_base_/models/aglf_vit.py, _base_/datasets/ttl_*.py).
train_dataloader = dict(
    batch_size=8,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True))
train_cfg = dict(type='IterBasedTrainLoop', max_iters=100000)

# Transfer tasks and distillation: Adam, lr 4e-4.
pretrain_optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=4e-4, betas=(0.9, 0.999)))
# Fine-tuning: decoder 4e-4, student encoder 0.1 x 4e-4 = 4e-5.
finetune_optim_wrapper = dict(
    pretrain_optim_wrapper,
    paramwise_cfg=dict(custom_keys={'generator.encoder': dict(lr_mult=0.1)}))
optim_wrapper = pretrain_optim_wrapper
# "Decayed by multiplying 0.5 when the losses do not decrease": every
# `interval` iterations the mean training loss is compared with the best.
param_scheduler = dict(
    type='LossPlateauLR', monitor='loss', interval=2000, factor=0.5,
    patience=2)
