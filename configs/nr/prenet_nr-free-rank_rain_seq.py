# Neural Reorganization with Synaptic Consolidation ranking only the
# parameters not yet protected: after task n exactly P(0)+...+P(n) of the
# network is protected (Eq. 3's shares of a fixed capacity), instead of the
# union of per-task top-P(n) selections of Fig. 3b.
_base_ = './prenet_rain_seq.py'

experiment_name = 'prenet_nr-free-rank_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'

sc_hook = {**_base_.sc_hook, 'rank_free_only': True}
custom_hooks = [sc_hook, _base_.kd_hook, _base_.eval_hook]
