# PReNet on Rain100L (train: RainTrainL, 200 pairs; test: 100 pairs) with
# the paper's recipe. An epoch is every 100x100 patch at stride 80 of every
# pair and of its horizontally flipped copy, as in PReNet's code:
# 200 x 2 x 15 = 6,000 patches -> ceil(6,000 / 18) = 334 iterations per
# epoch, 33,400 in all.
_base_ = './prenet_100e_rain100h.py'

experiment_name = 'prenet_100e_rain100l'
work_dir = f'./work_dirs/{experiment_name}'

train_dataloader = dict(dataset=dict(_delete_=True, **_base_.rain100l_train))
val_dataloader = dict(dataset=dict(_delete_=True, **_base_.rain100l_test))
test_dataloader = val_dataloader
