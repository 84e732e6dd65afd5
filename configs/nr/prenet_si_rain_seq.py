# SI baseline of Neural Reorganization (Table 1): the same sequence and
# recipe, trained plainly (no consolidation, no distillation).
_base_ = [
    '../_base_/models/prenet_seq.py',
    '../_base_/sequences/rain_seq.py',
    '../_base_/methods/si.py',
]

experiment_name = 'prenet_si_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'
