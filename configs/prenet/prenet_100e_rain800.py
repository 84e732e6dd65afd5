# PReNet on Rain800 (train: 700 pairs; test: 100 pairs) with the paper's
# recipe.
_base_ = './prenet_100e_rain100h.py'

experiment_name = 'prenet_100e_rain800'
work_dir = f'./work_dirs/{experiment_name}'

train_dataloader = dict(dataset=dict(_delete_=True, **_base_.rain800_train))
val_dataloader = dict(dataset=dict(_delete_=True, **_base_.rain800_test))
test_dataloader = val_dataloader
