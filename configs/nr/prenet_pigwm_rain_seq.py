# Continual-learning baseline on the NR sequence and recipe: PIGWM's
# soft penalty (Zhou et al., CVPR 2021, the NR authors' earlier method)
# (_base_/methods/pigwm.py).
_base_ = [
    '../_base_/models/prenet_seq.py',
    '../_base_/sequences/rain_seq.py',
    '../_base_/methods/pigwm.py',
]

experiment_name = 'prenet_pigwm_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'
