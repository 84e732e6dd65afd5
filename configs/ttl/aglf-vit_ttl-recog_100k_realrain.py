# Task Transfer Learning, stage 1 of 4: recognition of real rainy (label 0)
# and rain-free (label 1) photos with E_recog + D_recog and the MSE of Eq. 1.
# Data: data/RealRain and data/RealClear (see _base_/datasets/ttl_real.py).
# Run the four stages in order with
#   python tools/ttl/train_ttl_pipeline.py \
#       configs/ttl/aglf-vit_ttl-derain_100k_rain1200.py
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/models/aglf_vit.py',
    '../_base_/datasets/ttl_real.py',
    '../_base_/schedules/ttl_100k.py',
]

experiment_name = 'aglf-vit_ttl-recog_100k_realrain'
work_dir = f'./work_dirs/{experiment_name}'

model = _base_.recognition_model
train_dataloader = dict(dataset=_base_.ttl_recog_train)
