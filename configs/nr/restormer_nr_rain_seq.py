# Neural Reorganization on mmagic's Restormer, by config alone: the
# sequence, consolidation, distillation and evaluation of
# prenet_rain_seq.py with another generator (and Restormer's optimizer);
# the pixel loss and preprocessing stay PReNet's.
_base_ = [
    '../_base_/models/prenet_seq.py',
    '../_base_/sequences/rain_seq.py',
    '../_base_/methods/nr.py',
]

experiment_name = 'restormer_nr_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(
    generator=dict(
        _delete_=True,
        type='Restormer',
        inp_channels=3,
        out_channels=3,
        dim=48,
        num_blocks=[4, 6, 6, 8],
        num_refinement_blocks=4,
        heads=[1, 2, 4, 8],
        ffn_expansion_factor=2.66,
        bias=False,
        LayerNorm_type='WithBias'))
optim_wrapper = dict(
    optimizer=dict(
        _delete_=True,
        type='AdamW',
        lr=3e-4,
        betas=(0.9, 0.999),
        weight_decay=1e-4))
