# Table 3 ablation "w/ T_recon": fine-tune a student distilled from the
# reconstruction task alone.
_base_ = ['./aglf-vit_ttl-derain_100k_rain14000.py']

experiment_name = 'aglf-vit_ttl-derain-recon-only_100k_rain14000'
work_dir = f'./work_dirs/{experiment_name}'

ttl_stages = dict(
    _delete_=True,
    reconstruction='aglf-vit_ttl-recon_100k_realclear.py',
    distillation='aglf-vit_ttl-distill-recon-only_100k_realrain.py')
model = dict(encoder_checkpoint='./work_dirs/'
             'aglf-vit_ttl-distill-recon-only_100k_realrain')
