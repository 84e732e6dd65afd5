# Public de-raining datasets, read from disk (dataset dicts, not dataloaders):
# the synthetic benchmarks Rain100H/L, Rain800, Rain14000 and Rain1200, and
# SPA-Data, real rain. Expected layout under data/ (each class's docstring
# lists the other forms it reads):
#
#   data/RainTrainH/{rain-1.png, norain-1.png, ...}        Rain100H train
#   data/Rain100H/{rainy/rain-001.png, norain-001.png}      Rain100H test
#   data/RainTrainL/{rain-1.png, norain-1.png, ...}        Rain100L train
#   data/Rain100L/{rainy/rain-001.png, norain-001.png}      Rain100L test
#   data/Rain800/{training, test_syn}/1.jpg                 clean | rainy
#   data/Rain14000/{ground_truth/1.jpg, rainy_image/1_1.jpg}
#       ids 1-900 train (Rain12600), 901-1000 test (Rain1400); separate
#       Rain12600/ and Rain1400/ folders work too (set data_root).
#   data/Rain1200/DID-MDN-training/Rain_{Heavy,Medium,Light}/train2018new/
#       0.jpg ... 3999.jpg                                  rainy | clean
#   data/Rain1200/DID-MDN-datasets/DID-MDN-test/0.jpg ... 1199.jpg
#   data/SPA-Data/testing/{real_test_1000.txt, real_test_1000/...}
#
# Consumers wrap them, e.g. dict(batch_size=18, num_workers=4,
# sampler=dict(type='DefaultSampler', shuffle=True),
# dataset=_base_.rain100h_train).
#
# Training sets follow PReNet's epochs (Ren et al., CVPR 2019; github
# csdwren/PReNet, DerainDataset.py and train_PReNet.py): an epoch visits
# EVERY 100x100 patch of the grid Im2Patch(img, win=100, stride) of every
# training pair once (not one random crop per image), in shuffled batches
# of 18 with the last, smaller batch kept, so
#
#   iterations per epoch = ceil(patches / 18),
#   patches per pair     = copies * len(range(0, H - 99, stride))
#                                 * len(range(0, W - 99, stride)).
#
#   RainTrainH  stride 80, 1 copy. PReNet's release keeps 1,254 of the
#               1,800 rainy images (546 share scenes with Rain100H), all
#               481x321 or 321x481: 5 x 3 = 15 patches each, 18,810 patches
#               -> 1,045 iterations per epoch.
#   RainTrainL  stride 80, 2 copies (prepare_data_RainTrainL also cuts the
#               horizontally flipped pair): 200 x 2 x 15 = 6,000 patches
#               -> 334 iterations per epoch.
#   Rain12600   stride 100 (train_PReNet.py calls prepare_data_Rain12600
#               with stride=100), 1 copy. Image sizes vary, so the count is
#               the sum over its 12,600 rainy images, read from the file
#               headers when the dataset is built; ceil(sum / 18).
#   Rain800     not in PReNet's code; RainTrainH's setting (stride 80, 1
#               copy) over the clean/rainy halves (H x W/2) of its 700
#               training files, sizes vary: ceil(sum / 18), counted at
#               build time.
data_root = 'data'
# Training patch size (PReNet: 100x100).
patch_size = 100
# Im2Patch grids of the original code (see above).
rain100h_patch_grid = dict(size=patch_size, stride=80)
rain100l_patch_grid = dict(size=patch_size, stride=80, hflip_copy=True)
rain12600_patch_grid = dict(size=patch_size, stride=100)
rain800_patch_grid = dict(size=patch_size, stride=80)

_load_pair = [
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
]
# One random crop and flip per pair and visit, for configs that count
# iterations rather than epochs (e.g. rain1200_train below).
train_pipeline = _load_pair + [
    dict(type='SetValues', dictionary=dict(scale=1)),
    dict(type='PairedRandomCrop', gt_patch_size=patch_size),
    dict(type='Flip', keys=['img', 'gt'], direction='horizontal'),
    dict(type='PackInputs'),
]
# The patch of the grid that the data info names (datasets built with
# patch_grid); no random augmentation, as in the original code.
_crop_grid_patch = [dict(type='CropGridPatch'), dict(type='PackInputs')]
grid_train_pipeline = _load_pair + _crop_grid_patch
test_pipeline = _load_pair + [dict(type='PackInputs')]

# Rain800 files hold clean (left) and rainy (right) side by side, Rain1200
# files rainy (left) and clean (right): load once, then split (the half
# comes from the dataset's rainy_half).
_load_side_by_side = [
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    dict(type='SplitSideBySide'),
]
side_by_side_train_pipeline = _load_side_by_side + train_pipeline[2:]
side_by_side_grid_train_pipeline = _load_side_by_side + _crop_grid_patch
side_by_side_test_pipeline = _load_side_by_side + [dict(type='PackInputs')]

rain100h_train = dict(
    type='Rain100Dataset',
    data_root=f'{data_root}/RainTrainH',
    patch_grid=rain100h_patch_grid,
    pipeline=grid_train_pipeline)
rain100h_test = dict(
    type='Rain100Dataset',
    data_root=f'{data_root}/Rain100H',
    test_mode=True,
    pipeline=test_pipeline)

rain100l_train = dict(
    type='Rain100Dataset',
    data_root=f'{data_root}/RainTrainL',
    patch_grid=rain100l_patch_grid,
    pipeline=grid_train_pipeline)
rain100l_test = dict(
    type='Rain100Dataset',
    data_root=f'{data_root}/Rain100L',
    test_mode=True,
    pipeline=test_pipeline)

rain800_train = dict(
    type='Rain800Dataset',
    data_root=f'{data_root}/Rain800/training',
    patch_grid=rain800_patch_grid,
    pipeline=side_by_side_grid_train_pipeline)
rain800_test = dict(
    type='Rain800Dataset',
    data_root=f'{data_root}/Rain800/test_syn',
    test_mode=True,
    pipeline=side_by_side_test_pipeline)

rain14000_train = dict(
    type='Rain14000Dataset',
    data_root=f'{data_root}/Rain14000',
    id_range=(1, 900),
    patch_grid=rain12600_patch_grid,
    pipeline=grid_train_pipeline)
rain14000_test = dict(
    type='Rain14000Dataset',
    data_root=f'{data_root}/Rain14000',
    id_range=(901, 1000),
    test_mode=True,
    pipeline=test_pipeline)

# Rain1200 (DID-MDN): 12,000 training pairs, 1,200 test pairs.
rain1200_train = dict(
    type='Rain1200Dataset',
    data_root=f'{data_root}/Rain1200/DID-MDN-training',
    pipeline=side_by_side_train_pipeline)
rain1200_test = dict(
    type='Rain1200Dataset',
    data_root=f'{data_root}/Rain1200/DID-MDN-datasets/DID-MDN-test',
    test_mode=True,
    pipeline=side_by_side_test_pipeline)

spa_test = dict(
    type='SPADataset',
    data_root=f'{data_root}/SPA-Data/testing',
    ann_file='real_test_1000.txt',
    test_mode=True,
    pipeline=test_pipeline)
