# SI baseline of Neural Reorganization (Table 1): the same sequence and
# recipe, trained plainly (no consolidation, no distillation).
_base_ = './prenet_rain_seq.py'

experiment_name = 'prenet_si_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(distill_loss=None)
optim_wrapper = dict(type='OptimWrapper')
custom_hooks = [_base_.eval_hook]
