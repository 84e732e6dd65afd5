# Rendered rain: our renderer's rain (RenderedRainDataset), drawn on the fly
# over photos shipped with installed packages (no download). Dataset dicts,
# not dataloaders; consumers wrap them, e.g. dict(batch_size=4,
# num_workers=2, sampler=dict(type='InfiniteSampler', shuffle=True),
# dataset=_base_.rendered_rain100h_train).
#
# Presets imitate the public benchmarks Rain100H (heavy, several directions),
# Rain800 (varied density), Rain14000 (14 orientation/magnitude types) and
# Rain100L (light, one direction); 'heldout' is a look none of them has, a
# rendered stand-in for rain unlike the training rain. Training samples draw
# new crops and rain on every fetch; test samples are fixed per index (seed
# below).

# Training patch size (PReNet: 100x100); rendered directly at this size.
rendered_patch_size = 100
# Test images: rendered_num_test crops of rendered_test_size from held-out
# photos.
rendered_test_size = 128
rendered_num_test = 32
# Virtual length of one training epoch (samples cycle over the photos).
rendered_num_train = 1000
rendered_test_seed = 2021

rendered_train_pipeline = [
    dict(type='Flip', keys=['img', 'gt'], direction='horizontal'),
    dict(type='PackInputs'),
]
rendered_test_pipeline = [dict(type='PackInputs')]

_rendered_train = dict(
    type='RenderedRainDataset',
    clean_source='embedded',
    split='train',
    num_samples=rendered_num_train,
    img_size=rendered_patch_size,
    pipeline=rendered_train_pipeline)
_rendered_test = dict(
    type='RenderedRainDataset',
    clean_source='embedded',
    split='test',
    num_samples=rendered_num_test,
    img_size=rendered_test_size,
    seed=rendered_test_seed,
    test_mode=True,
    pipeline=rendered_test_pipeline)

rendered_rain100h_train = dict(_rendered_train, preset='rain100h')
rendered_rain100h_test = dict(_rendered_test, preset='rain100h')
rendered_rain800_train = dict(_rendered_train, preset='rain800')
rendered_rain800_test = dict(_rendered_test, preset='rain800')
# 28 test samples = 2 test photos x 14 rain types.
rendered_rain14000_train = dict(_rendered_train, preset='rain14000')
rendered_rain14000_test = dict(
    _rendered_test, preset='rain14000', num_samples=28)
rendered_rain100l_train = dict(_rendered_train, preset='rain100l')
rendered_rain100l_test = dict(_rendered_test, preset='rain100l')
rendered_heldout_test = dict(_rendered_test, preset='heldout')
