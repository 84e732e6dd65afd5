# Single-dataset row of Neural Reorganization's Table 2: PReNet trained on
# rain100l alone with its own recipe, evaluated on every test set and SPA-Data
# (task 3 of _base_/sequences/rain_seq.py).
_base_ = [
    '../_base_/models/prenet_seq.py',
    '../_base_/sequences/rain_seq.py',
    '../_base_/methods/si.py',
]

experiment_name = 'prenet_single_rain100l'
work_dir = f'./work_dirs/{experiment_name}'
train_dataloader = dict(_base_.task_loaders[3], _delete_=True)
train_cfg = dict(tasks=[_base_.sequence_tasks[3]])
