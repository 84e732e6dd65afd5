# CPU demo of the PIGWM baseline (see prenet_pigwm_rain_seq.py) on the
# rendered-rain sequence of prenet_nr_demo_rendered_seq.py.
_base_ = [
    '../_base_/models/prenet_seq.py',
    '../_base_/sequences/rendered_rain_demo_seq.py',
    '../_base_/methods/pigwm.py',
]

experiment_name = 'prenet_pigwm_demo_rendered_seq'
work_dir = f'./work_dirs/{experiment_name}'
model = dict(generator=dict(num_stages=4))
