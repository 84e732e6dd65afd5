# CPU demo of Neural Reorganization with per-batch importance (see
# prenet_nr-per-batch_rain_seq.py) on the synthetic sequence.
_base_ = './prenet_nr_demo_syn_seq.py'

experiment_name = 'prenet_nr-per-batch_demo_syn_seq'
work_dir = f'./work_dirs/{experiment_name}'

sc_hook = {**_base_.sc_hook, 'per_sample': False}
custom_hooks = [sc_hook, _base_.kd_hook, _base_.eval_hook]
