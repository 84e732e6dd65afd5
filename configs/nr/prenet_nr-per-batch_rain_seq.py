# Neural Reorganization with the importance of Eq. 1 on per-batch
# gradients (_base_/methods/nr_per_batch.py), on the paper's sequence and
# recipe.
_base_ = [
    '../_base_/models/prenet_seq.py',
    '../_base_/sequences/rain_seq.py',
    '../_base_/methods/nr_per_batch.py',
]

experiment_name = 'prenet_nr-per-batch_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'
