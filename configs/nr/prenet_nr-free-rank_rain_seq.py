# Neural Reorganization with Synaptic Consolidation ranking only the
# parameters not yet protected (_base_/methods/nr_free_rank.py), on the
# paper's sequence and recipe.
_base_ = [
    '../_base_/models/prenet_seq.py',
    '../_base_/sequences/rain_seq.py',
    '../_base_/methods/nr_free_rank.py',
]

experiment_name = 'prenet_nr-free-rank_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'
