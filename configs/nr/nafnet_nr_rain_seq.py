# Neural Reorganization on mmagic's NAFNet, by config alone: the sequence,
# consolidation, distillation and evaluation of prenet_rain_seq.py with
# another generator (and NAFNet's optimizer); the pixel loss and
# preprocessing stay PReNet's.
_base_ = [
    '../_base_/models/prenet_seq.py',
    '../_base_/sequences/rain_seq.py',
    '../_base_/methods/nr.py',
]

experiment_name = 'nafnet_nr_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(
    generator=dict(
        _delete_=True,
        type='NAFNet',
        img_channels=3,
        mid_channels=32,
        middle_blk_num=12,
        enc_blk_nums=[2, 2, 4, 8],
        dec_blk_nums=[2, 2, 2, 2]))
optim_wrapper = dict(
    optimizer=dict(
        _delete_=True, type='AdamW', lr=1e-3, betas=(0.9, 0.9),
        weight_decay=0.))
