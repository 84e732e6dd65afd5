# Table 3 ablation "w/ T_recog": distil only the recognition encoder.
_base_ = ['./aglf-vit_ttl-distill_100k_realrain.py']

experiment_name = 'aglf-vit_ttl-distill-recog-only_100k_realrain'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(recon_decoder=None, reconstruction_checkpoint=None)
