# Task Transfer Learning, stage 2 of 4: reconstruction of Gaussian-blurred
# real clear photos (random blur width) with E_recon + D_recon and the loss
# of Eq. 2 (L2 plus L2 of horizontal and vertical gradients).
_base_ = ['./aglf-vit_ttl-recog_100k_realrain.py']

experiment_name = 'aglf-vit_ttl-recon_100k_realclear'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(_delete_=True, **_base_.reconstruction_model)
train_dataloader = dict(dataset=dict(_delete_=True, **_base_.ttl_recon_train))
