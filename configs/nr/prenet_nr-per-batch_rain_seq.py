# Neural Reorganization with the importance of Eq. 1 on per-batch gradients:
# the absolute gradient of each batch's loss (batch 18) is averaged,
# instead of every sample's own absolute gradient (Eq. 1 and Fig. 3b,
# prenet_rain_seq.py). Faster; samples whose gradients disagree cancel.
_base_ = './prenet_rain_seq.py'

experiment_name = 'prenet_nr-per-batch_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'

sc_hook = {**_base_.sc_hook, 'per_sample': False}
custom_hooks = [sc_hook, _base_.kd_hook, _base_.eval_hook]
