# CPU demo of the MAS baseline (see prenet_mas_rain_seq.py) on the
# rendered-rain sequence of prenet_nr_demo_rendered_seq.py.
_base_ = [
    '../_base_/models/prenet_seq.py',
    '../_base_/sequences/rendered_rain_demo_seq.py',
    '../_base_/methods/mas.py',
]

experiment_name = 'prenet_mas_demo_rendered_seq'
work_dir = f'./work_dirs/{experiment_name}'
model = dict(generator=dict(num_stages=4))
