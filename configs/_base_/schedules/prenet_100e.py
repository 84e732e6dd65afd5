# PReNet's recipe (Ren et al., CVPR 2019): Adam 1e-3, batch 18 of 100x100
# patches, 100 epochs, learning rate x0.2 at epochs 30, 50 and 80.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=1e-3, betas=(0.9, 0.999)))

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=100, val_interval=10)
val_cfg = dict(type='MultiValLoop')
test_cfg = dict(type='MultiTestLoop')

param_scheduler = dict(
    type='MultiStepLR', by_epoch=True, milestones=[30, 50, 80], gamma=0.2)
