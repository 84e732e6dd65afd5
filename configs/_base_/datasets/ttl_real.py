# Data of Task Transfer Learning on real photos (dataset dicts, not
# dataloaders). Expected layout under data/ (besides rain_datasets.py's):
#
#   data/RealRain/*.jpg    real rainy photos, no clean partner (RealRain)
#   data/RealClear/*.jpg   real rain-free photos (RealClear)
#
# The paper's RealRain has 1,500 camera-captured rainy photos; RealClear
# 10,000 clean images (Rain1200 and Rain2800 ground truths).
#
# Fine-tuning and testing as in the paper ("Removing Rain Streaks via Task
# Transfer Learning", Datasets): "we randomly select 6000 training pairs
# from the training dataset of (Zhang and Patel 2018)", i.e. 6,000 of the
# 12,000 DID-MDN training pairs (data/Rain1200/DID-MDN-training, see
# rain_datasets.py), drawn once with a fixed seed; and Test-I, "100
# synthetic pairs from Rain1200, 100 from Rain2800, and 100 from Rain800"
# (300 pairs), each subset drawn with a fixed seed from
#   Rain1200  DID-MDN-test (1,200 pairs)
#   Rain2800  read as Rain14000's test ids 901-1000 (Rain1400: 1,400 pairs)
#   Rain800   test_syn (100 pairs, so all of them)
# and reported per subset (names test1-*); with 100 pairs each, Test-I's
# PSNR/SSIM is the mean of the three. Test-II (Li et al. 2019's rain
# streaks) is not supported; Test-III is SPA-Data.
_base_ = ['./rain_datasets.py']

# Recognition labels (Eq. 1): the paper uses 0 for rainy, 1 for rain-free.
rainy_label = 0
clear_label = 1
# "All the patches are randomly cropped ... with a fixed size of 256 x 256."
ttl_patch_size = 256
# Share of the DID-MDN training pairs kept: 6,000 of 12,000 in the paper.
finetune_fraction = 0.5
finetune_seed = 0
# Pairs per Test-I subset and the seed of each draw.
test1_pairs = 100
test1_seed = 0

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
# DID-MDN files hold rainy (left) and clean (right) side by side.
ttl_pair_pipeline = [
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    dict(type='SplitSideBySide'),
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
    dataset=dict(_base_.rain1200_train, pipeline=ttl_pair_pipeline),
    fraction=finetune_fraction,
    seed=finetune_seed)

ttl_test_names = [
    'test1-rain1200', 'test1-rain2800', 'test1-rain800', 'spa'
]
ttl_test_sets = [
    dict(
        type='RandomSubsetDataset',
        dataset=dataset,
        num_samples=test1_pairs,
        seed=test1_seed) for dataset in
    (_base_.rain1200_test, _base_.rain14000_test, _base_.rain800_test)
] + [_base_.spa_test]
