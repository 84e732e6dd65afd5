# Task Transfer Learning, stage 3 of 4: distillation of the recognition and
# reconstruction encoders into the student E_stu on real rainy photos,
# direct (Eq. 3) plus indirect matching through the frozen teacher decoders
# (Eq. 4). The teachers come from the work directories of stages 1 and 2
# (or give .pth files here).
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/models/aglf_vit.py',
    '../_base_/datasets/ttl_real.py',
    '../_base_/schedules/ttl_100k.py',
]

experiment_name = 'aglf-vit_ttl-distill_100k_realrain'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(
    _base_.distillation_model,
    recognition_checkpoint='./work_dirs/aglf-vit_ttl-recog_100k_realrain',
    reconstruction_checkpoint='./work_dirs/aglf-vit_ttl-recon_100k_realclear',
    # Eq. 5 read as the unweighted sum of the four terms of Eqs. 3-4 (each
    # a mean squared error, see TTLDistiller); change one to reweight it.
    term_weights=dict(
        direct_recognition=1.0,
        indirect_recognition=1.0,
        direct_reconstruction=1.0,
        indirect_reconstruction=1.0))
train_dataloader = dict(dataset=_base_.ttl_distill_train)
