# Ablation of Neural Reorganization (Table 3): knowledge distillation only,
# no synaptic consolidation.
_base_ = './prenet_rain_seq.py'

experiment_name = 'prenet_nr-wo-sc_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'

optim_wrapper = dict(type='OptimWrapper')
custom_hooks = [_base_.kd_hook, _base_.eval_hook]
