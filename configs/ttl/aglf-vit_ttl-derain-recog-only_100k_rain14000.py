# Table 3 ablation "w/ T_recog": fine-tune a student distilled from the
# recognition task alone.
_base_ = ['./aglf-vit_ttl-derain_100k_rain14000.py']

experiment_name = 'aglf-vit_ttl-derain-recog-only_100k_rain14000'
work_dir = f'./work_dirs/{experiment_name}'

ttl_stages = dict(
    _delete_=True,
    recognition='aglf-vit_ttl-recog_100k_realrain.py',
    distillation='aglf-vit_ttl-distill-recog-only_100k_realrain.py')
model = dict(encoder_checkpoint='./work_dirs/'
             'aglf-vit_ttl-distill-recog-only_100k_realrain')
