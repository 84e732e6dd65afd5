# Real de-raining datasets (dataset dicts, not dataloaders). Expected layout
# under data/ (each class's docstring lists the other forms it reads):
#
#   data/RainTrainH/{rain-1.png, norain-1.png, ...}        Rain100H train
#   data/Rain100H/{rainy/rain-001.png, norain-001.png}      Rain100H test
#   data/RainTrainL/{rain-1.png, norain-1.png, ...}        Rain100L train
#   data/Rain100L/{rainy/rain-001.png, norain-001.png}      Rain100L test
#   data/Rain800/{training, test_syn}/1.jpg                 clean | rainy
#   data/Rain14000/{ground_truth/1.jpg, rainy_image/1_1.jpg}
#       ids 1-900 train (Rain12600), 901-1000 test (Rain1400); separate
#       Rain12600/ and Rain1400/ folders work too (set data_root).
#   data/SPA-Data/testing/{real_test_1000.txt, real_test_1000/...}
#
# Consumers wrap them, e.g. dict(batch_size=18, num_workers=4,
# sampler=dict(type='DefaultSampler', shuffle=True),
# dataset=_base_.rain100h_train).
data_root = 'data'
# Training patch size (PReNet: 100x100).
patch_size = 100

_load_pair = [
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
]
_augment = [
    dict(type='SetValues', dictionary=dict(scale=1)),
    dict(type='PairedRandomCrop', gt_patch_size=patch_size),
    dict(type='Flip', keys=['img', 'gt'], direction='horizontal'),
    dict(type='PackInputs'),
]
train_pipeline = _load_pair + _augment
test_pipeline = _load_pair + [dict(type='PackInputs')]

# Rain800 files hold clean (left) and rainy (right) side by side: load once,
# then split (the half comes from Rain800Dataset's rainy_half).
_load_side_by_side = [
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    dict(type='SplitSideBySide'),
]
rain800_train_pipeline = _load_side_by_side + _augment
rain800_test_pipeline = _load_side_by_side + [dict(type='PackInputs')]

rain100h_train = dict(
    type='Rain100Dataset',
    data_root=f'{data_root}/RainTrainH',
    pipeline=train_pipeline)
rain100h_test = dict(
    type='Rain100Dataset',
    data_root=f'{data_root}/Rain100H',
    test_mode=True,
    pipeline=test_pipeline)

rain100l_train = dict(
    type='Rain100Dataset',
    data_root=f'{data_root}/RainTrainL',
    pipeline=train_pipeline)
rain100l_test = dict(
    type='Rain100Dataset',
    data_root=f'{data_root}/Rain100L',
    test_mode=True,
    pipeline=test_pipeline)

rain800_train = dict(
    type='Rain800Dataset',
    data_root=f'{data_root}/Rain800/training',
    pipeline=rain800_train_pipeline)
rain800_test = dict(
    type='Rain800Dataset',
    data_root=f'{data_root}/Rain800/test_syn',
    test_mode=True,
    pipeline=rain800_test_pipeline)

rain14000_train = dict(
    type='Rain14000Dataset',
    data_root=f'{data_root}/Rain14000',
    id_range=(1, 900),
    pipeline=train_pipeline)
rain14000_test = dict(
    type='Rain14000Dataset',
    data_root=f'{data_root}/Rain14000',
    id_range=(901, 1000),
    test_mode=True,
    pipeline=test_pipeline)

spa_test = dict(
    type='SPADataset',
    data_root=f'{data_root}/SPA-Data/testing',
    ann_file='real_test_1000.txt',
    test_mode=True,
    pipeline=test_pipeline)
