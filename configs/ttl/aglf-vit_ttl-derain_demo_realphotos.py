# CPU demo of TTL on real rainy photos, stage 4 of 4: fine-tuning as in the
# embedded demo (same pairs, iterations and test sets), from a student
# whose recognition and distillation stages saw real rainy photos
# (data/real_rainy_photos) instead of rendered stand-ins. The
# reconstruction stage needs no rainy photo and is the embedded demo's.
# Train the stages in order:
#   python tools/ttl/train_ttl_pipeline.py \
#       configs/ttl/aglf-vit_ttl-derain_demo_realphotos.py
_base_ = ['./aglf-vit_ttl-derain_demo_embedded.py']

experiment_name = 'aglf-vit_ttl-derain_demo_realphotos'
work_dir = f'./work_dirs/{experiment_name}'

ttl_stages = dict(
    recognition='aglf-vit_ttl-recog_demo_realphotos.py',
    reconstruction='aglf-vit_ttl-recon_demo_embedded.py',
    distillation='aglf-vit_ttl-distill_demo_realphotos.py')
model = dict(
    encoder_checkpoint='./work_dirs/aglf-vit_ttl-distill_demo_realphotos')
