# CPU demo of TTL on real rainy photos, stage 3 of 4: distillation of the
# recognition teacher trained on real photos and the reconstruction teacher
# (embedded photos, as in the embedded demo) into the student, on random
# 64x64 patches of the real rainy photos in data/real_rainy_photos.
_base_ = ['./aglf-vit_ttl-distill_demo_embedded.py']

experiment_name = 'aglf-vit_ttl-distill_demo_realphotos'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(
    recognition_checkpoint='./work_dirs/aglf-vit_ttl-recog_demo_realphotos')
train_dataloader = dict(
    dataset=dict(_delete_=True, **_base_.ttl_distill_train_realphotos))
