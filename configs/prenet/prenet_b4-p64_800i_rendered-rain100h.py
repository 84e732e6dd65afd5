# The embedded demo (`make demo`): PReNet with the paper's architecture,
# trained for 800 iterations on heavy rain rendered on the fly over photos
# shipped with scikit-image / scikit-learn, then evaluated on 32 held-out
# 128x128 test images. No download; about 10 minutes on 2 CPU cores.
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/models/prenet.py',
    '../_base_/datasets/rendered_rain.py',
]

experiment_name = 'prenet_b4-p64_800i_rendered-rain100h'
work_dir = f'./work_dirs/{experiment_name}'
# Fixed seed: the rendered training rain and the weights repeat run to run.
randomness = dict(seed=2021)

train_dataloader = dict(
    batch_size=4,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(_base_.rendered_rain100h_train, img_size=64))

val_dataloader = dict(
    batch_size=4,
    num_workers=1,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=_base_.rendered_rain100h_test)
# PSNR/SSIM on the Y channel (as the papers report) and on RGB.
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
train_cfg = dict(type='IterBasedTrainLoop', max_iters=800, val_interval=400)
val_cfg = dict(type='MultiValLoop')
test_cfg = dict(type='MultiTestLoop')
# PReNet's milestones (30/50/80 of 100 epochs) scaled to the short run.
param_scheduler = dict(
    type='MultiStepLR', by_epoch=False, milestones=[240, 400, 640], gamma=0.2)

default_hooks = dict(
    checkpoint=dict(interval=400, save_best='Y/PSNR', rule='greater'),
    logger=dict(interval=50))
