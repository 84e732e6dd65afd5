# CPU demo of V2 (Table 4): TTL's de-raining network trained from scratch
# on the same rendered pairs and iterations, one learning rate (4e-4).
_base_ = ['./aglf-vit_ttl-derain_demo_embedded.py']

experiment_name = 'aglf-vit_v2_demo_embedded'
work_dir = f'./work_dirs/{experiment_name}'

ttl_stages = None
model = dict(encoder_checkpoint=None)
optim_wrapper = dict(_delete_=True, **_base_.pretrain_optim_wrapper)
