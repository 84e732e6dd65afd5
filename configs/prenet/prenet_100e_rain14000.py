# PReNet on Rain14000 (train: Rain12600, 900 x 14 pairs; test: Rain1400,
# 100 x 14 pairs) with the paper's recipe. An epoch is every 100x100 patch
# at stride 100 (train_PReNet.py prepares Rain12600 with stride=100) of
# every pair. Sizes vary, so the length is counted from the file headers
# when the dataset is built: ceil(sum over the 12,600 pairs of
# len(range(0, H - 99, 100)) * len(range(0, W - 99, 100)) / 18) iterations
# per epoch.
_base_ = './prenet_100e_rain100h.py'

experiment_name = 'prenet_100e_rain14000'
work_dir = f'./work_dirs/{experiment_name}'

train_dataloader = dict(dataset=dict(_delete_=True, **_base_.rain14000_train))
val_dataloader = dict(dataset=dict(_delete_=True, **_base_.rain14000_test))
test_dataloader = val_dataloader
