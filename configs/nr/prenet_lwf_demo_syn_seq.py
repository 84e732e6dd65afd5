# CPU demo of LwF = NR without synaptic consolidation (see
# prenet_lwf_rain_seq.py) on the synthetic sequence.
_base_ = './prenet_nr_demo_syn_seq.py'

experiment_name = 'prenet_lwf_demo_syn_seq'
work_dir = f'./work_dirs/{experiment_name}'

optim_wrapper = dict(type='OptimWrapper')
custom_hooks = [_base_.kd_hook, _base_.eval_hook]
