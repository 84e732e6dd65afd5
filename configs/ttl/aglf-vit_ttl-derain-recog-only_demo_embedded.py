# CPU demo of the Table 3 ablation "w/ T_recog": fine-tune a student
# distilled from the recognition task alone.
_base_ = ['./aglf-vit_ttl-derain_demo_embedded.py']

experiment_name = 'aglf-vit_ttl-derain-recog-only_demo_embedded'
work_dir = f'./work_dirs/{experiment_name}'

ttl_stages = dict(
    _delete_=True,
    recognition='aglf-vit_ttl-recog_demo_embedded.py',
    distillation='aglf-vit_ttl-distill-recog-only_demo_embedded.py')
model = dict(encoder_checkpoint='./work_dirs/'
             'aglf-vit_ttl-distill-recog-only_demo_embedded')
