# Continual-learning baseline on the NR sequence and recipe:
# PIGWM's soft penalty (Zhou et al., CVPR 2021, the NR authors' earlier
# method): NR's gradient-magnitude importance (Eq. 1) used as the weight of a
# quadratic penalty instead of a hard mask (PIGWMHook).
# No distillation and no synaptic consolidation.
_base_ = './prenet_rain_seq.py'

experiment_name = 'prenet_pigwm_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(distill_loss=None)
optim_wrapper = dict(type='PenaltyOptimWrapper')
custom_hooks = [_base_.pigwm_hook, _base_.eval_hook]
