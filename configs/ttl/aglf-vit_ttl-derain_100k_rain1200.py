# Task Transfer Learning, stage 4 of 4: the distilled student encoder E_stu
# (lr 4e-5) with a new de-raining decoder D_dr (lr 4e-4), fine-tuned on
# 6,000 pairs drawn with a fixed seed from the 12,000 DID-MDN (Rain1200)
# training pairs, as the paper does, with the loss of Eq. 2; learning rates
# halve when the loss stops falling. Tested on the paper's Test-I (100
# fixed pairs each of Rain1200, Rain2800 and Rain800, reported per subset;
# Test-I is their mean) and Test-III (SPA-Data, real rain). Data:
# configs/_base_/datasets/ttl_real.py.
#
# Train all four stages in order (each in <work-dir>/<stage>):
#   python tools/ttl/train_ttl_pipeline.py \
#       configs/ttl/aglf-vit_ttl-derain_100k_rain1200.py
# or train each stage's config with tools/train.py in the order below.
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/models/aglf_vit.py',
    '../_base_/datasets/ttl_real.py',
    '../_base_/schedules/ttl_100k.py',
]

experiment_name = 'aglf-vit_ttl-derain_100k_rain1200'
work_dir = f'./work_dirs/{experiment_name}'

ttl_stages = dict(
    recognition='aglf-vit_ttl-recog_100k_realrain.py',
    reconstruction='aglf-vit_ttl-recon_100k_realclear.py',
    distillation='aglf-vit_ttl-distill_100k_realrain.py')

model = dict(
    _base_.derain_model,
    encoder_checkpoint='./work_dirs/aglf-vit_ttl-distill_100k_realrain')
train_dataloader = dict(dataset=_base_.ttl_derain_train)
optim_wrapper = _base_.finetune_optim_wrapper

# PSNR/SSIM on the Y channel (as the paper reports) and on RGB, per set.
test_dataloader = [
    dict(
        batch_size=1,
        num_workers=2,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dataset) for dataset in _base_.ttl_test_sets
]
test_evaluator = [[
    dict(type='PSNR', convert_to='Y', prefix=f'{name}-Y'),
    dict(type='SSIM', convert_to='Y', prefix=f'{name}-Y'),
    dict(type='PSNR', prefix=f'{name}-RGB'),
    dict(type='SSIM', prefix=f'{name}-RGB'),
] for name in _base_.ttl_test_names]
test_cfg = dict(type='MultiTestLoop')
