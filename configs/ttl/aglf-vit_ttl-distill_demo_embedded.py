# CPU demo of TTL, stage 3 of 4: distillation of both teacher encoders into
# the student on the stand-in rainy photos (held-out rendered style),
# Eqs. 3-5.
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/models/aglf_vit_demo.py',
    '../_base_/datasets/ttl_embedded.py',
    '../_base_/schedules/ttl_demo.py',
]

experiment_name = 'aglf-vit_ttl-distill_demo_embedded'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(
    _base_.distillation_model,
    recognition_checkpoint='./work_dirs/aglf-vit_ttl-recog_demo_embedded',
    reconstruction_checkpoint='./work_dirs/aglf-vit_ttl-recon_demo_embedded',
    # Eq. 5 read as the unweighted sum of the four terms of Eqs. 3-4 (each
    # a mean squared error, see TTLDistiller); change one to reweight it.
    term_weights=dict(
        direct_recognition=1.0,
        indirect_recognition=1.0,
        direct_reconstruction=1.0,
        indirect_reconstruction=1.0))
train_dataloader = dict(dataset=_base_.ttl_distill_train)
