# Continual-learning baseline on the NR sequence and recipe: EWC
# (Kirkpatrick et al., PNAS 2017), online form (_base_/methods/ewc.py).
_base_ = [
    '../_base_/models/prenet_seq.py',
    '../_base_/sequences/rain_seq.py',
    '../_base_/methods/ewc.py',
]

experiment_name = 'prenet_ewc_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'
