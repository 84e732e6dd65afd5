# PReNet on Rain800 (train: 700 pairs; test: 100 pairs) with the paper's
# recipe. PReNet's code has no Rain800 preparation; an epoch is every
# 100x100 patch at stride 80 (its RainTrainH setting) of every pair's
# H x W/2 halves. Sizes vary, so the length is counted from the file
# headers when the dataset is built: ceil(sum over the 700 pairs of
# len(range(0, H - 99, 80)) * len(range(0, W/2 - 99, 80)) / 18) iterations
# per epoch.
_base_ = './prenet_100e_rain100h.py'

experiment_name = 'prenet_100e_rain800'
work_dir = f'./work_dirs/{experiment_name}'

train_dataloader = dict(dataset=dict(_delete_=True, **_base_.rain800_train))
val_dataloader = dict(dataset=dict(_delete_=True, **_base_.rain800_test))
test_dataloader = val_dataloader
