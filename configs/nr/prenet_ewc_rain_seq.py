# Continual-learning baseline on the NR sequence and recipe:
# EWC (Kirkpatrick et al., PNAS 2017), online form: the diagonal
# (empirical) Fisher of the pixel loss after every task, one quadratic penalty
# lambda/2 sum F (theta - theta*)^2 to the latest weights (EWCHook).
# No distillation and no synaptic consolidation.
_base_ = './prenet_rain_seq.py'

experiment_name = 'prenet_ewc_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(distill_loss=None)
optim_wrapper = dict(type='PenaltyOptimWrapper')
custom_hooks = [_base_.ewc_hook, _base_.eval_hook]
