# Real rain for CPU-sized runs and for measuring generalization to real rain.
#
#   data/RainTrainL/{rain-1.png, norain-1.png, ...}   Rain100L training pairs
#   data/real_rainy_photos/*.jpg                       real rainy photos, no GT
#
# RainTrainL is the training set of Rain100L (Yang et al., CVPR 2017) in
# PReNet's flat release: rain-N.png / norain-N.png, N without zero padding.
# No test set comes with it, so it is split by id (ids, not positions, so a
# copy with missing ids splits the same way):
#
#   training split  ids 1-158    (150 pairs in the 189-pair development copy)
#   held-out split  ids 159-200  (39 pairs: the last 39 ids in sorted order)
#
# A fresh clone has no data/: link the folders there, e.g.
#   ln -s /path/to/RainTrainL data/RainTrainL
# Evaluation sets marked with optional_name are left out with a message
# when their folder is missing (mmderain.apis.drop_missing_optional_sets);
# training sets never are.

real_data_root = 'data'
real_rain100l_root = f'{real_data_root}/RainTrainL'
real_photos_root = f'{real_data_root}/real_rainy_photos'
real_train_ids = (1, 158)
real_test_ids = (159, 200)
# Name of the held-out split in metric prefixes and result tables.
real_test_name = 'real-rain100l'
# Training patch size of the CPU-sized real runs.
real_patch_size = 64

_real_load_pair = [
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
]
real_train_pipeline = _real_load_pair + [
    dict(type='SetValues', dictionary=dict(scale=1)),
    dict(type='PairedRandomCrop', gt_patch_size=real_patch_size),
    dict(type='Flip', keys=['img', 'gt'], direction='horizontal'),
    dict(type='PackInputs'),
]
real_test_pipeline = _real_load_pair + [dict(type='PackInputs')]

real_rain100l_train = dict(
    type='Rain100Dataset',
    data_root=real_rain100l_root,
    id_range=real_train_ids,
    pipeline=real_train_pipeline)
real_rain100l_test = dict(
    type='Rain100Dataset',
    data_root=real_rain100l_root,
    id_range=real_test_ids,
    test_mode=True,
    pipeline=real_test_pipeline)
# The held-out split as one evaluation dataloader that is dropped, with a
# message naming the folder, when the data is absent.
real_rain100l_test_loader = dict(
    batch_size=1,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=real_rain100l_test,
    optional_name=real_test_name)

# The demo comparisons evaluate after every task of every run; there the
# held-out split is read as its 39 centre crops of 192x192 (a quarter of the
# pixels of a 481x321 image), named apart so that the two never mix in a
# table. PairedCenterCrop crops like mmagic's Crop(random_crop=False) but
# refuses a rainy and a clean image of different sizes, naming both, where
# Crop would score two different places against each other.
real_crop_size = 192
real_crop_test_name = f'real-rain100l-c{real_crop_size}'
real_rain100l_test_crop = dict(
    real_rain100l_test,
    pipeline=_real_load_pair + [
        dict(
            type='PairedCenterCrop',
            keys=['img', 'gt'],
            crop_size=(real_crop_size, real_crop_size)),
        dict(type='PackInputs'),
    ])
real_rain100l_test_crop_loader = dict(
    real_rain100l_test_loader,
    dataset=real_rain100l_test_crop,
    optional_name=real_crop_test_name)
