# CPU demo of TTL, stage 2 of 4: reconstruction of Gaussian-blurred
# embedded photos (random blur width), loss of Eq. 2.
_base_ = ['./aglf-vit_ttl-recog_demo_embedded.py']

experiment_name = 'aglf-vit_ttl-recon_demo_embedded'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(_delete_=True, **_base_.reconstruction_model)
train_dataloader = dict(dataset=dict(_delete_=True, **_base_.ttl_recon_train))
