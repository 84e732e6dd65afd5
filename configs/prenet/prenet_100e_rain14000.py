# PReNet on Rain14000 (train: Rain12600, 900 x 14 pairs; test: Rain1400,
# 100 x 14 pairs) with the paper's recipe.
_base_ = './prenet_100e_rain100h.py'

experiment_name = 'prenet_100e_rain14000'
work_dir = f'./work_dirs/{experiment_name}'

train_dataloader = dict(dataset=dict(_delete_=True, **_base_.rain14000_train))
val_dataloader = dict(dataset=dict(_delete_=True, **_base_.rain14000_test))
test_dataloader = val_dataloader
