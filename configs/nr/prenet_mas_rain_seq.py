# Continual-learning baseline on the NR sequence and recipe:
# MAS (Aljundi et al., ECCV 2018): importance from the sensitivity of
# the squared output norm (Eq. 10, no labels), summed over tasks, quadratic
# penalty lambda sum Omega (theta - theta*)^2 (MASHook).
# No distillation and no synaptic consolidation.
_base_ = './prenet_rain_seq.py'

experiment_name = 'prenet_mas_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(distill_loss=None)
optim_wrapper = dict(type='PenaltyOptimWrapper')
custom_hooks = [_base_.mas_hook, _base_.eval_hook]
