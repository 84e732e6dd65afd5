# CPU demo of TTL, stage 4 of 4: the distilled student encoder (lr 4e-5)
# with a new de-raining decoder (lr 4e-4) on 24 fixed rendered
# 'rain14000'-style pairs (a quarter of 96), then tested on the rendered
# 'rain14000' and 'rain800' styles, the held-out rendered style (the
# stand-in for real rain) and the 192x192 centre crops of public synthetic
# rain (the held-out split of RainTrainL, ids 159-200, and all of
# RainTrainH) and of real rain (pairs made from a static-camera video),
# each left out with a message when its folder is missing.
# Train all four stages in order (each in <work-dir>/<stage>):
#   python tools/ttl/train_ttl_pipeline.py \
#       configs/ttl/aglf-vit_ttl-derain_demo_embedded.py
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/models/aglf_vit_demo.py',
    '../_base_/datasets/ttl_embedded.py',
    '../_base_/schedules/ttl_demo.py',
]

experiment_name = 'aglf-vit_ttl-derain_demo_embedded'
work_dir = f'./work_dirs/{experiment_name}'

ttl_stages = dict(
    recognition='aglf-vit_ttl-recog_demo_embedded.py',
    reconstruction='aglf-vit_ttl-recon_demo_embedded.py',
    distillation='aglf-vit_ttl-distill_demo_embedded.py')

model = dict(
    _base_.derain_model,
    encoder_checkpoint='./work_dirs/aglf-vit_ttl-distill_demo_embedded')
train_dataloader = dict(dataset=_base_.ttl_derain_train)
optim_wrapper = _base_.finetune_optim_wrapper
train_cfg = dict(max_iters=1500)

test_dataloader = [
    dict(
        batch_size=1,
        num_workers=1,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dataset) for dataset in _base_.ttl_test_sets
] + [
    _base_.raintrainl_test_crop_loader, _base_.raintrainh_test_crop_loader,
    _base_.real_video_test_crop_loader
]
optional_sets = [
    _base_.raintrainl_crop_test_name, _base_.raintrainh_crop_test_name,
    _base_.real_video_crop_test_name
]
test_evaluator = [[
    dict(type='PSNR', convert_to='Y', prefix=f'{name}-Y'),
    dict(type='SSIM', convert_to='Y', prefix=f'{name}-Y'),
    dict(type='PSNR', prefix=f'{name}-RGB'),
    dict(type='SSIM', prefix=f'{name}-RGB'),
] for name in _base_.ttl_test_names + optional_sets]
test_cfg = dict(type='MultiTestLoop')
