# Task Transfer Learning, stage 2 of 4: reconstruction of Gaussian-blurred
# real clear photos (random blur width) with E_recon + D_recon and the loss
# of Eq. 2 (L2 plus L2 of horizontal and vertical gradients).
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/models/aglf_vit.py',
    '../_base_/datasets/ttl_real.py',
    '../_base_/schedules/ttl_100k.py',
]

experiment_name = 'aglf-vit_ttl-recon_100k_realclear'
work_dir = f'./work_dirs/{experiment_name}'

model = _base_.reconstruction_model
train_dataloader = dict(dataset=_base_.ttl_recon_train)
