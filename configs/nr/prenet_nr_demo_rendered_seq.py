# CPU demo of Neural Reorganization: the method of prenet_rain_seq.py on
# the rendered-rain sequence (_base_/sequences/rendered_rain_demo_seq.py:
# 500 iterations per task of batch 4, 64x64 patches), with PReNet at 4
# stages.
_base_ = [
    '../_base_/models/prenet_seq.py',
    '../_base_/sequences/rendered_rain_demo_seq.py',
    '../_base_/methods/nr.py',
]

experiment_name = 'prenet_nr_demo_rendered_seq'
work_dir = f'./work_dirs/{experiment_name}'
model = dict(generator=dict(num_stages=4))
