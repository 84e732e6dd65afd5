# Knowledge Distillation of Neural Reorganization (Xiao et al., ICCV 2021,
# Sec. 3.2, Eq. 7): lambda=0.8 times the training loss (negative SSIM for
# PReNet) between the network's output and that of the network after the
# previous task, on the new task's images. The hook adds it to the model's
# loss as loss_distill (needs model.type='DistillEditModel').
kd_hook = dict(
    type='TeacherSnapshotHook',
    distill_loss=dict(
        type='DistillationLoss',
        loss_weight=0.8,
        criterion=dict(type='SSIMLoss')))
