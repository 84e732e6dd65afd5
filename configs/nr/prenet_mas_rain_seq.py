# Continual-learning baseline on the NR sequence and recipe: MAS
# (Aljundi et al., ECCV 2018) (_base_/methods/mas.py).
_base_ = [
    '../_base_/models/prenet_seq.py',
    '../_base_/sequences/rain_seq.py',
    '../_base_/methods/mas.py',
]

experiment_name = 'prenet_mas_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'
