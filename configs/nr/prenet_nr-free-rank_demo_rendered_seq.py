# CPU demo of Neural Reorganization with free-rank consolidation (see
# prenet_nr-free-rank_rain_seq.py) on the rendered-rain sequence.
_base_ = [
    '../_base_/models/prenet_seq.py',
    '../_base_/sequences/rendered_rain_demo_seq.py',
    '../_base_/methods/nr_free_rank.py',
]

experiment_name = 'prenet_nr-free-rank_demo_rendered_seq'
work_dir = f'./work_dirs/{experiment_name}'
model = dict(generator=dict(num_stages=4))
