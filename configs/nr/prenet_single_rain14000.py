# Single-dataset row of Neural Reorganization's Table 2: PReNet trained on
# rain14000 alone with its own recipe, evaluated on every test set and
# SPA-Data.
_base_ = './prenet_si_rain_seq.py'

experiment_name = 'prenet_single_rain14000'
work_dir = f'./work_dirs/{experiment_name}'

train_dataloader = dict(_base_.task_loaders[2], _delete_=True)
train_cfg = dict(tasks=[
    dict(
        name='rain14000',
        max_epochs=_base_.task_epochs,
        dataloader=_base_.task_loaders[2])
])
