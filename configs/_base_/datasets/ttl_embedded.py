# Data of Task Transfer Learning on the embedded photos (no download), with
# the same variable names as ttl_real.py.
#
# The "real" photos are stand-ins: the embedded training photos with rain
# rendered in the 'heldout' style, a rain look that none of the synthetic
# presets used for fine-tuning or for the synthetic test sets has. They
# play RealRain (recognition, distillation); the clean embedded photos play
# RealClear. syn_heldout_test (held-out test photos, same style) then
# measures generalization to that "real" rain, like Test-III in the paper.
_base_ = ['./synthetic_rain.py']

rainy_label = 0
clear_label = 1
ttl_patch_size = 64
# Samples per epoch of the transfer-task sets (fresh crops every fetch).
ttl_num_photos = 700
# Fine-tuning uses a fixed set of rendered pairs (test_mode makes each
# pair's crop and rain a function of its index) and keeps a share of it:
# the paper's "minority of synthetic pairs".
finetune_pairs = 96
finetune_fraction = 0.25
finetune_preset = 'rain14000'

_ttl_photos = dict(
    type='SyntheticRainDataset',
    clean_source='embedded',
    split='train',
    num_samples=ttl_num_photos,
    img_size=ttl_patch_size)
_flip_pack_img = [
    dict(type='Flip', keys=['img', 'gt'], direction='horizontal'),
    dict(type='PackInputs', keys='img'),
]
# 'img' holds the photo with held-out rain ("real" rainy photo).
_ttl_rainy = dict(_ttl_photos, preset='heldout')

ttl_recog_train = dict(
    type='ConcatDataset',
    datasets=[
        dict(
            _ttl_rainy,
            pipeline=[
                dict(type='SetValues', dictionary=dict(gt_label=rainy_label))
            ] + _flip_pack_img),
        # The clean photo becomes the input; its rendered rain is unused.
        dict(
            _ttl_rainy,
            pipeline=[
                dict(type='CopyValues', src_keys=['gt'], dst_keys=['img']),
                dict(type='SetValues', dictionary=dict(gt_label=clear_label))
            ] + _flip_pack_img),
    ])
# The clean photo is blurred into the input; its rendered rain is unused.
ttl_recon_train = dict(
    _ttl_photos,
    preset='rain100l',
    pipeline=[
        dict(type='AddGaussianBlur', sigma_range=(0.5, 3.0)),
    ] + _flip_pack_img)
ttl_distill_train = dict(_ttl_rainy, pipeline=_flip_pack_img)
ttl_derain_train = dict(
    type='RandomSubsetDataset',
    dataset=dict(
        _ttl_photos,
        preset=finetune_preset,
        num_samples=finetune_pairs,
        test_mode=True,
        seed=0,
        pipeline=_base_.syn_train_pipeline),
    fraction=finetune_fraction,
    seed=0)

# Test-I/II/III stand-ins: the fine-tuning style, another synthetic style,
# and the held-out "real" style, all on the held-out test photos.
ttl_test_names = ['syn-rain14000', 'syn-rain800', 'syn-heldout']
ttl_test_sets = [
    _base_.syn_rain14000_test, _base_.syn_rain800_test,
    _base_.syn_heldout_test
]
