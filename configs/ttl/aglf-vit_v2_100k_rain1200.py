# V2 of Table 4: the same network as TTL's de-raining model (E_stu + D_dr),
# trained from scratch on the same synthetic pairs only (the 6,000 fixed
# DID-MDN pairs), with one learning rate (4e-4) for all parameters since
# nothing is pre-trained.
_base_ = ['./aglf-vit_ttl-derain_100k_rain1200.py']

experiment_name = 'aglf-vit_v2_100k_rain1200'
work_dir = f'./work_dirs/{experiment_name}'

ttl_stages = None
model = dict(encoder_checkpoint=None)
optim_wrapper = dict(_delete_=True, **_base_.pretrain_optim_wrapper)
