default_scope = 'mmagic'
custom_imports = dict(imports=['mmderain'], allow_failed_imports=False)
save_dir = './work_dirs'

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    # Validation metrics at the training iteration, as the losses: by
    # epoch (mmengine's default) they all land on step 0 of an
    # iteration-based run's TensorBoard and scalars.json.
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook',
        interval=5000,
        by_epoch=False,
        max_keep_ckpts=3,
        save_last=True),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    # At every validation and test, save rainy input | prediction | ground
    # truth of the first `num_samples` images of each evaluation set to
    # <work_dir>/<timestamp>/vis_data/vis_image/{set}_{file}_{iter}.png
    # (num_samples=0: none).
    visualization=dict(type='FixedSamplesVisualizationHook', num_samples=3),
)

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)

log_level = 'INFO'
log_processor = dict(type='LogProcessor', window_size=50, by_epoch=False)

load_from = None
resume = False

# `tensorboard = True` (here, in a config or `--cfg-options tensorboard=True`)
# adds a TensorboardVisBackend to the visualizer when tools/train.py and
# tools/test.py build the config (needs `pip install tensorboard`); then
# `tensorboard --logdir <work_dir>` shows the losses, metrics and images.
tensorboard = False
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(
    type='ConcatImageVisualizer',
    vis_backends=vis_backends,
    fn_key='vis_name',
    img_keys=['input', 'pred_img', 'gt_img'],
    # mmagic's models return BGR images, whatever the dataset's order.
    bgr2rgb=True)
