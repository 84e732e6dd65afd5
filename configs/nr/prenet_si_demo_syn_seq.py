# CPU demo of the SI baseline (see prenet_si_rain_seq.py) on the synthetic
# sequence.
_base_ = './prenet_nr_demo_syn_seq.py'

experiment_name = 'prenet_si_demo_syn_seq'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(distill_loss=None)
optim_wrapper = dict(type='OptimWrapper')
custom_hooks = [_base_.eval_hook]
