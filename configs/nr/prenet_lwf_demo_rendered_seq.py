# CPU demo of LwF = NR without synaptic consolidation (see
# prenet_lwf_rain_seq.py) on the rendered-rain sequence.
_base_ = [
    '../_base_/models/prenet_seq.py',
    '../_base_/sequences/rendered_rain_demo_seq.py',
    '../_base_/methods/lwf.py',
]

experiment_name = 'prenet_lwf_demo_rendered_seq'
work_dir = f'./work_dirs/{experiment_name}'
model = dict(generator=dict(num_stages=4))
