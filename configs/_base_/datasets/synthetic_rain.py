# Synthetic rain rendered on the fly on photos shipped with installed
# packages (no download). Dataset dicts, not dataloaders; consumers wrap
# them, e.g. dict(batch_size=4, num_workers=2,
# sampler=dict(type='InfiniteSampler', shuffle=True),
# dataset=_base_.syn_rain100h_train).
#
# Presets imitate Rain100H (heavy, several directions, haze), Rain800
# (varied density), Rain14000 (14 orientation/magnitude types) and Rain100L
# (light, one direction); 'heldout' is a look none of them has, a stand-in
# for real rain. Training samples draw new crops and rain on every fetch;
# test samples are fixed per index (seed below).

# Training patch size (PReNet: 100x100); rendered directly at this size.
syn_patch_size = 100
# Test images: syn_num_test crops of syn_test_size from held-out photos.
syn_test_size = 128
syn_num_test = 32
# Virtual length of one training epoch (samples cycle over the photos).
syn_num_train = 1000
syn_test_seed = 2021

syn_train_pipeline = [
    dict(type='Flip', keys=['img', 'gt'], direction='horizontal'),
    dict(type='PackInputs'),
]
syn_test_pipeline = [dict(type='PackInputs')]

_syn_train = dict(
    type='SyntheticRainDataset',
    clean_source='embedded',
    split='train',
    num_samples=syn_num_train,
    img_size=syn_patch_size,
    pipeline=syn_train_pipeline)
_syn_test = dict(
    type='SyntheticRainDataset',
    clean_source='embedded',
    split='test',
    num_samples=syn_num_test,
    img_size=syn_test_size,
    seed=syn_test_seed,
    test_mode=True,
    pipeline=syn_test_pipeline)

syn_rain100h_train = dict(_syn_train, preset='rain100h')
syn_rain100h_test = dict(_syn_test, preset='rain100h')
syn_rain800_train = dict(_syn_train, preset='rain800')
syn_rain800_test = dict(_syn_test, preset='rain800')
# 28 test samples = 2 test photos x 14 rain types.
syn_rain14000_train = dict(_syn_train, preset='rain14000')
syn_rain14000_test = dict(_syn_test, preset='rain14000', num_samples=28)
syn_rain100l_train = dict(_syn_train, preset='rain100l')
syn_rain100l_test = dict(_syn_test, preset='rain100l')
syn_heldout_test = dict(_syn_test, preset='heldout')
