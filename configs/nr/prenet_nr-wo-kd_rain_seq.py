# Ablation of Neural Reorganization (Table 3): synaptic consolidation only,
# no knowledge distillation.
_base_ = './prenet_rain_seq.py'

experiment_name = 'prenet_nr-wo-kd_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(distill_loss=None)
custom_hooks = [_base_.sc_hook, _base_.eval_hook]
