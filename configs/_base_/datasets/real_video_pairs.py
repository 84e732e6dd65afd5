# Real rain with ground truth: rainy/clean pairs made from a static-camera
# rain video, as SPA-Data (Wang et al., CVPR 2019) was made, by
#
#   python tools/dataset_converters/video_to_pairs.py VIDEO \
#       data/real_video_pairs
#
# (mmderain.datasets.converters.video_pairs; docs/en/real_pairs_from_video.md).
# The rainy image is a camera frame, untouched; its clean partner is the
# background estimated per pixel over the still frames. The folder is a flat
# Rain100Dataset root:
#
#   data/real_video_pairs/{rain-1.png, norain-1.png, ..., provenance.json,
#                          moving_mask.png}
#
# (provenance.json and moving_mask.png do not match the rainy template and
# are not read). Never trained on; an evaluation set only, left out with a
# message saying how to make it when the folder is missing
# (mmderain.apis.drop_missing_optional_sets).

real_video_root = 'data/real_video_pairs'
# Names in metric prefixes and result tables.
real_video_test_name = 'real-video'
# How to make the folder, in the message when it is missing.
real_video_hint = (
    'Make these real rainy/clean pairs from a static-camera rain video with '
    '`python tools/dataset_converters/video_to_pairs.py VIDEO '
    f'{real_video_root}` (see docs/en/real_pairs_from_video.md).')

_real_video_load_pair = [
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
]
real_video_test = dict(
    type='Rain100Dataset',
    data_root=real_video_root,
    test_mode=True,
    pipeline=_real_video_load_pair + [dict(type='PackInputs')])
real_video_test_loader = dict(
    batch_size=1,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=real_video_test,
    optional_name=real_video_test_name,
    optional_hint=real_video_hint)

# The centre 192x192 of each pair, for the demos that evaluate after every
# task (as raintrain.py's *_test_crop sets); a video frame is large, so this
# is a small part of it, the same part of every pair.
real_video_crop_size = 192
real_video_crop_test_name = f'{real_video_test_name}-c{real_video_crop_size}'
real_video_test_crop = dict(
    real_video_test,
    pipeline=_real_video_load_pair + [
        dict(
            type='PairedCenterCrop',
            keys=['img', 'gt'],
            crop_size=(real_video_crop_size, real_video_crop_size)),
        dict(type='PackInputs'),
    ])
real_video_test_crop_loader = dict(
    real_video_test_loader,
    dataset=real_video_test_crop,
    optional_name=real_video_crop_test_name)
