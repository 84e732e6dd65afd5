# CPU demo of the PIGWM baseline (see prenet_pigwm_rain_seq.py) on the
# synthetic sequence of prenet_nr_demo_syn_seq.py.
_base_ = './prenet_nr_demo_syn_seq.py'

experiment_name = 'prenet_pigwm_demo_syn_seq'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(distill_loss=None)
optim_wrapper = dict(type='PenaltyOptimWrapper')
custom_hooks = [_base_.pigwm_hook, _base_.eval_hook]
