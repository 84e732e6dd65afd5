# CPU demo of TTL, stage 2 of 4: reconstruction of Gaussian-blurred
# embedded photos (random blur width), loss of Eq. 2.
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/models/aglf_vit_demo.py',
    '../_base_/datasets/ttl_embedded.py',
    '../_base_/schedules/ttl_demo.py',
]

experiment_name = 'aglf-vit_ttl-recon_demo_embedded'
work_dir = f'./work_dirs/{experiment_name}'

model = _base_.reconstruction_model
train_dataloader = dict(dataset=_base_.ttl_recon_train)
