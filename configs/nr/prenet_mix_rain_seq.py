# Mix baseline of Neural Reorganization (Table 1): the four training sets
# mixed into one task of 100 epochs over the union of their patch grids
# (mix_task of _base_/sequences/rain_seq.py), trained plainly, evaluated as
# the sequence.
_base_ = [
    '../_base_/models/prenet_seq.py',
    '../_base_/sequences/rain_seq.py',
    '../_base_/methods/si.py',
]

experiment_name = 'prenet_mix_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'
train_dataloader = dict(_base_.mix_loader, _delete_=True)
train_cfg = dict(tasks=[_base_.mix_task])
