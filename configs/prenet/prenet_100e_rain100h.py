# PReNet on Rain100H (train: RainTrainH as PReNet releases it, 1,254 pairs;
# test: 100 pairs) with the paper's recipe. Data layout and epoch lengths:
# configs/_base_/datasets/rain_datasets.py. An epoch is every 100x100 patch
# at stride 80 of every pair, as in PReNet's code: 1,254 x 15 = 18,810
# patches in batches of 18 -> 1,045 iterations per epoch, 104,500 in all.
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/models/prenet.py',
    '../_base_/schedules/prenet_100e.py',
    '../_base_/datasets/rain_datasets.py',
]

experiment_name = 'prenet_100e_rain100h'
work_dir = f'./work_dirs/{experiment_name}'

train_dataloader = dict(
    batch_size=18,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=_base_.rain100h_train)

val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=_base_.rain100h_test)
# PSNR/SSIM on the Y channel (as the papers report) and on RGB.
val_evaluator = [
    dict(type='PSNR', convert_to='Y', prefix='Y'),
    dict(type='SSIM', convert_to='Y', prefix='Y'),
    dict(type='PSNR', prefix='RGB'),
    dict(type='SSIM', prefix='RGB'),
]
test_dataloader = val_dataloader
test_evaluator = val_evaluator

default_hooks = dict(
    checkpoint=dict(by_epoch=True, interval=10),
    logger=dict(interval=100))
log_processor = dict(by_epoch=True)
