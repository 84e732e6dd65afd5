# Ablation of Neural Reorganization (Table 3): synaptic consolidation only,
# no knowledge distillation (_base_/methods/nr_wo_kd.py).
_base_ = [
    '../_base_/models/prenet_seq.py',
    '../_base_/sequences/rain_seq.py',
    '../_base_/methods/nr_wo_kd.py',
]

experiment_name = 'prenet_nr-wo-kd_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'
