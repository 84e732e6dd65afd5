# Data of Task Transfer Learning on the embedded photos (no download), with
# the same variable names as ttl_real.py.
#
# The "real" photos are stand-ins: the embedded training photos with rain
# rendered in the 'heldout' style, a rain look that none of the rendered
# presets used for fine-tuning or for the rendered test sets has. They
# play RealRain (recognition, distillation); the clean embedded photos play
# RealClear. rendered_heldout_test (held-out test photos, same style) then
# measures generalization to that stand-in rain, as Test-III (SPA-Data, real
# rain) does in the paper.
#
# Besides, when their folders are there:
# - public synthetic rain (see raintrain.py): the held-out split of
#   RainTrainL (data/RainTrainL, ids 159-200) and all of RainTrainH
#   (data/RainTrainH), as 192x192 centre crops; and real rain: pairs made
#   from a static-camera video (data/real_video_pairs, see
#   real_video_pairs.py), same crops. The fine-tuning configs test on them;
#   each is left out with a message when missing;
# - ttl_recog_train_realphotos / ttl_distill_train_realphotos use real
#   rainy photos from ttl_real_rainy_root instead of the stand-ins (the
#   *_demo_realphotos configs); a missing folder is an error there.
_base_ = ['./rendered_rain.py', './raintrain.py', './real_video_pairs.py']

rainy_label = 0
clear_label = 1
ttl_patch_size = 64
# Samples per epoch of the transfer-task sets (fresh crops every fetch).
ttl_num_photos = 700
# Fine-tuning uses a fixed set of rendered pairs (test_mode makes each
# pair's crop and rain a function of its index) and keeps a share of it:
# the paper's "minority of synthetic pairs" (here rendered ones).
finetune_pairs = 96
finetune_fraction = 0.25
finetune_preset = 'rain14000'

_ttl_photos = dict(
    type='RenderedRainDataset',
    clean_source='embedded',
    split='train',
    num_samples=ttl_num_photos,
    img_size=ttl_patch_size)
_flip_pack_img = [
    dict(type='Flip', keys=['img', 'gt'], direction='horizontal'),
    dict(type='PackInputs', keys='img'),
]
# 'img' holds the photo with held-out rain (stand-in for a real rainy photo).
_ttl_rainy = dict(_ttl_photos, preset='heldout')
# The clean photo becomes the input; its rendered rain is unused.
_ttl_clear = dict(
    _ttl_rainy,
    pipeline=[
        dict(type='CopyValues', src_keys=['gt'], dst_keys=['img']),
        dict(type='SetValues', dictionary=dict(gt_label=clear_label))
    ] + _flip_pack_img)

ttl_recog_train = dict(
    type='ConcatDataset',
    datasets=[
        dict(
            _ttl_rainy,
            pipeline=[
                dict(type='SetValues', dictionary=dict(gt_label=rainy_label))
            ] + _flip_pack_img),
        _ttl_clear,
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
        pipeline=_base_.rendered_train_pipeline),
    fraction=finetune_fraction,
    seed=0)

# Real rainy photos (no clean partner) instead of the stand-ins. Both
# recognition classes are random patches of ttl_patch_size at native
# resolution (large photos are cropped, not shrunk), sampled as often:
# real rainy photos (label 0) and the embedded rain-free training photos
# (label 1).
ttl_real_rainy_root = 'data/real_rainy_photos'
_photo_augment = [
    dict(type='Crop', keys=['img'], crop_size=(ttl_patch_size, ) * 2),
    dict(type='Flip', keys=['img'], direction='horizontal'),
    dict(type='PackInputs', keys='img'),
]
_real_rainy_photos = dict(
    type='TTLImageDataset',
    data_root=ttl_real_rainy_root,
    num_samples=ttl_num_photos,
    pipeline=[
        dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    ] + _photo_augment)
ttl_recog_train_realphotos = dict(
    type='ConcatDataset',
    datasets=[
        dict(_real_rainy_photos, label=rainy_label),
        # Loaded by the dataset: the same keys as a photo from a folder.
        dict(
            type='TTLImageDataset',
            data_root='embedded',
            split='train',
            label=clear_label,
            num_samples=ttl_num_photos,
            pipeline=_photo_augment),
    ])
ttl_distill_train_realphotos = _real_rainy_photos

# Test-I/II/III stand-ins: the fine-tuning style, another rendered style,
# and the held-out stand-in style, all on the held-out test photos. The
# public and real sets (the *_test_crop_loader of raintrain.py and
# real_video_pairs.py) are added by the fine-tuning configs.
ttl_test_names = ['rendered-rain14000', 'rendered-rain800', 'rendered-heldout']
ttl_test_sets = [
    _base_.rendered_rain14000_test, _base_.rendered_rain800_test,
    _base_.rendered_heldout_test
]
