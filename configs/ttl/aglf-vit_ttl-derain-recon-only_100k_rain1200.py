# Table 3 ablation "w/ T_recon": with one transfer task the paper distils
# nothing; the reconstruction encoder E_recon itself is fine-tuned with the
# de-raining decoder (same recipe as the full TTL fine-tuning).
_base_ = ['./aglf-vit_ttl-derain_100k_rain1200.py']

experiment_name = 'aglf-vit_ttl-derain-recon-only_100k_rain1200'
work_dir = f'./work_dirs/{experiment_name}'

ttl_stages = dict(
    _delete_=True, reconstruction='aglf-vit_ttl-recon_100k_realclear.py')
# TTLRestorer keeps E_recon under 'generator.encoder.'.
model = dict(
    encoder_checkpoint='./work_dirs/aglf-vit_ttl-recon_100k_realclear',
    encoder_prefix='generator.encoder.')
