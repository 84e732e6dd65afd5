# CPU demo of the SI baseline (see prenet_si_rain_seq.py) on the
# rendered-rain sequence.
_base_ = [
    '../_base_/models/prenet_seq.py',
    '../_base_/sequences/rendered_rain_demo_seq.py',
    '../_base_/methods/si.py',
]

experiment_name = 'prenet_si_demo_rendered_seq'
work_dir = f'./work_dirs/{experiment_name}'
model = dict(generator=dict(num_stages=4))
