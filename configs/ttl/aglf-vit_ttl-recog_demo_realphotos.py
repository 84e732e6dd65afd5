# CPU demo of TTL on real rainy photos, stage 1 of 4: recognition of real
# rainy photos (label 0, random 64x64 patches of the photos in
# ttl_real_rainy_root = data/real_rainy_photos) and the embedded rain-free
# photos (label 1), instead of the rendered stand-ins. The folder must
# exist (link it under data/, see "Data" in README.md):
#   python tools/ttl/compare_ttl_v2.py \
#       configs/ttl/aglf-vit_ttl-derain_demo_realphotos.py \
#       configs/ttl/aglf-vit_v2_demo_embedded.py
_base_ = ['./aglf-vit_ttl-recog_demo_embedded.py']

experiment_name = 'aglf-vit_ttl-recog_demo_realphotos'
work_dir = f'./work_dirs/{experiment_name}'

train_dataloader = dict(
    dataset=dict(_delete_=True, **_base_.ttl_recog_train_realphotos))
