# Data of Task Transfer Learning on real photos (dataset dicts, not
# dataloaders). Expected layout under data/ (besides rain_datasets.py's):
#
#   data/RealRain/*.jpg    real rainy photos, no clean partner (RealRain)
#   data/RealClear/*.jpg   real rain-free photos (RealClear)
#
# The paper's RealRain has 1,500 camera-captured rainy photos; RealClear
# 10,000 clean images (Rain1200 and Rain2800 ground truths). The
# fine-tuning pairs come from Rain14000's training ids (the paper used 6,000
# of Rain1200's 12,000 pairs, a layout this package does not read), and the
# test sets stand in for Test-I (Rain1400, Rain800) and Test-III (SPA-Data).
_base_ = ['./rain_datasets.py']

# Recognition labels (Eq. 1): the paper uses 0 for rainy, 1 for rain-free.
rainy_label = 0
clear_label = 1
# "All the patches are randomly cropped ... with a fixed size of 256 x 256."
ttl_patch_size = 256
# Share of the fine-tuning pairs kept (6,000 of 12,000 in the paper).
finetune_fraction = 0.5

_crop_flip_img = [
    dict(type='Crop', keys=['img'], crop_size=(ttl_patch_size, ) * 2),
    dict(type='Flip', keys=['img'], direction='horizontal'),
    dict(type='PackInputs', keys='img'),
]
ttl_photo_pipeline = [
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
] + _crop_flip_img
# Reconstruction: crop a clear photo, then blur it into the input.
ttl_blur_pipeline = [
    dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
    dict(type='Crop', keys=['gt'], crop_size=(ttl_patch_size, ) * 2),
    dict(type='Flip', keys=['gt'], direction='horizontal'),
    dict(type='AddGaussianBlur', sigma_range=(0.5, 3.0)),
    dict(type='PackInputs', keys='img'),
]
ttl_pair_pipeline = [
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
    dict(type='SetValues', dictionary=dict(scale=1)),
    dict(type='PairedRandomCrop', gt_patch_size=ttl_patch_size),
    dict(type='Flip', keys=['img', 'gt'], direction='horizontal'),
    dict(type='PackInputs'),
]

_real_rain = dict(
    type='TTLImageDataset',
    data_root='data/RealRain',
    pipeline=ttl_photo_pipeline)
ttl_recog_train = dict(
    type='ConcatDataset',
    datasets=[
        dict(_real_rain, label=rainy_label),
        dict(
            type='TTLImageDataset',
            data_root='data/RealClear',
            label=clear_label,
            pipeline=ttl_photo_pipeline),
    ])
ttl_recon_train = dict(
    type='TTLImageDataset',
    data_root='data/RealClear',
    key='gt',
    pipeline=ttl_blur_pipeline)
ttl_distill_train = _real_rain
ttl_derain_train = dict(
    type='RandomSubsetDataset',
    dataset=dict(_base_.rain14000_train, pipeline=ttl_pair_pipeline),
    fraction=finetune_fraction,
    seed=0)

ttl_test_names = ['rain1400', 'rain800', 'spa']
ttl_test_sets = [_base_.rain14000_test, _base_.rain800_test, _base_.spa_test]
