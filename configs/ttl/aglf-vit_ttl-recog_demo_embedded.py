# CPU demo of Task Transfer Learning on embedded photos (no download),
# stage 1 of 4: recognition of "real" rainy (label 0) and rain-free
# (label 1) photos. The "real" rainy photos are stand-ins rendered with the
# 'heldout' rain style, which no rendered training preset uses (see
# _base_/datasets/ttl_embedded.py). Small network (2 AGLF blocks, width 16),
# 64x64 patches, a fixed seed (_base_/schedules/ttl_demo.py); all four
# stages plus V2 take minutes on 2 CPU cores:
#   python tools/ttl/compare_ttl_v2.py \
#       configs/ttl/aglf-vit_ttl-derain_demo_embedded.py \
#       configs/ttl/aglf-vit_v2_demo_embedded.py
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/models/aglf_vit_demo.py',
    '../_base_/datasets/ttl_embedded.py',
    '../_base_/schedules/ttl_demo.py',
]

experiment_name = 'aglf-vit_ttl-recog_demo_embedded'
work_dir = f'./work_dirs/{experiment_name}'

model = _base_.recognition_model
train_dataloader = dict(dataset=_base_.ttl_recog_train)
