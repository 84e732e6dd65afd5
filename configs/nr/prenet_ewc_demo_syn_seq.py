# CPU demo of the EWC baseline (see prenet_ewc_rain_seq.py) on the
# synthetic sequence of prenet_nr_demo_syn_seq.py.
_base_ = './prenet_nr_demo_syn_seq.py'

experiment_name = 'prenet_ewc_demo_syn_seq'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(distill_loss=None)
optim_wrapper = dict(type='PenaltyOptimWrapper')
custom_hooks = [_base_.ewc_hook, _base_.eval_hook]
