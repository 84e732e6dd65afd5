# Public synthetic rain in PReNet's releases of the Rain100L / Rain100H
# training sets, for CPU-sized runs and for measuring generalization:
#
#   data/RainTrainL/{rain-1.png, norain-1.png, ...}   RainTrainL (light rain)
#   data/RainTrainH/{rain-1.png, norain-1.png, ...}   RainTrainH (heavy rain)
#
# Both are training sets of Yang et al. (CVPR 2017), whose authors rendered
# the rain: public synthetic benchmarks, not real (photographed) rain.
# PReNet's flat release: rain-N.png / norain-N.png, N without zero padding.
#
# RainTrainL comes without a test set, so it is split by id (ids, not
# positions, so a copy with missing ids splits the same way):
#
#   training split  ids 1-158    (150 pairs in the 189-pair development copy)
#   held-out split  ids 159-200  (39 pairs: the last 39 ids in sorted order)
#
# RainTrainH is heavy rain unlike any demo's last task; the demos never
# train on it, so all of its pairs (12 in the development copy) are an
# evaluation set. (The paper configs' rain100h_train, rain_datasets.py,
# reads the same folder: do not score those on it.) With the full release
# (1,254 pairs) the demos' evaluation after every task takes long; give the
# set an id_range there.
#
# A fresh clone has no data/: link the folders there, e.g.
#   ln -s /path/to/RainTrainL data/RainTrainL
# Evaluation sets marked with optional_name are left out with a message
# when their folder is missing (mmderain.apis.drop_missing_optional_sets);
# training sets never are.

raintrain_root = 'data'
raintrainl_root = f'{raintrain_root}/RainTrainL'
raintrainh_root = f'{raintrain_root}/RainTrainH'
raintrainl_train_ids = (1, 158)
raintrainl_test_ids = (159, 200)
# Names of the evaluation sets in metric prefixes and result tables.
raintrainl_test_name = 'public-raintrainl-heldout'
raintrainh_test_name = 'public-raintrainh'
# Training patch size of the CPU-sized RainTrainL runs.
raintrainl_patch_size = 64

_raintrain_load_pair = [
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
]
raintrainl_train_pipeline = _raintrain_load_pair + [
    dict(type='SetValues', dictionary=dict(scale=1)),
    dict(type='PairedRandomCrop', gt_patch_size=raintrainl_patch_size),
    dict(type='Flip', keys=['img', 'gt'], direction='horizontal'),
    dict(type='PackInputs'),
]
raintrainl_test_pipeline = _raintrain_load_pair + [dict(type='PackInputs')]

raintrainl_train = dict(
    type='Rain100Dataset',
    data_root=raintrainl_root,
    id_range=raintrainl_train_ids,
    pipeline=raintrainl_train_pipeline)
raintrainl_test = dict(
    type='Rain100Dataset',
    data_root=raintrainl_root,
    id_range=raintrainl_test_ids,
    test_mode=True,
    pipeline=raintrainl_test_pipeline)
# RainTrainH is read as the held-out split of RainTrainL is.
raintrainh_test = dict(
    type='Rain100Dataset',
    data_root=raintrainh_root,
    test_mode=True,
    pipeline=raintrainl_test_pipeline)

# The held-out split as one evaluation dataloader that is dropped, with a
# message naming the folder, when the data is absent.
raintrainl_test_loader = dict(
    batch_size=1,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=raintrainl_test,
    optional_name=raintrainl_test_name)
raintrainh_test_loader = dict(
    raintrainl_test_loader,
    dataset=raintrainh_test,
    optional_name=raintrainh_test_name)

# The demo comparisons evaluate after every task of every run; there the
# sets are read as their centre crops of 192x192 (a quarter of the pixels of
# a 481x321 image), named apart so that crops and full images never mix in a
# table. PairedCenterCrop crops like mmagic's Crop(random_crop=False)
# but refuses a rainy and a clean image of different sizes, naming both,
# where Crop would score two different places against each other.
raintrainl_crop_size = 192
_raintrain_crop_pipeline = _raintrain_load_pair + [
    dict(
        type='PairedCenterCrop',
        keys=['img', 'gt'],
        crop_size=(raintrainl_crop_size, raintrainl_crop_size)),
    dict(type='PackInputs'),
]
raintrainl_crop_test_name = f'{raintrainl_test_name}-c{raintrainl_crop_size}'
raintrainl_test_crop = dict(raintrainl_test, pipeline=_raintrain_crop_pipeline)
raintrainl_test_crop_loader = dict(
    raintrainl_test_loader,
    dataset=raintrainl_test_crop,
    optional_name=raintrainl_crop_test_name)
# RainTrainH is cropped alike, so that the two columns compare.
raintrainh_crop_test_name = f'{raintrainh_test_name}-c{raintrainl_crop_size}'
raintrainh_test_crop = dict(raintrainh_test, pipeline=_raintrain_crop_pipeline)
raintrainh_test_crop_loader = dict(
    raintrainh_test_loader,
    dataset=raintrainh_test_crop,
    optional_name=raintrainh_crop_test_name)
