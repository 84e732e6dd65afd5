# Table 3 ablation "w/ T_recon": distil only the reconstruction encoder.
_base_ = ['./aglf-vit_ttl-distill_100k_realrain.py']

experiment_name = 'aglf-vit_ttl-distill-recon-only_100k_realrain'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(recog_head=None, recognition_checkpoint=None)
