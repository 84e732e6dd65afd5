# Table 3 ablation "w/ T_recon": with one transfer task the paper distils
# nothing; the reconstruction encoder E_recon itself is fine-tuned with the
# de-raining decoder (same recipe as the full TTL fine-tuning).
_base_ = ['./aglf-vit_ttl-derain_demo_embedded.py']

experiment_name = 'aglf-vit_ttl-derain-recon-only_demo_embedded'
work_dir = f'./work_dirs/{experiment_name}'

ttl_stages = dict(
    _delete_=True, reconstruction='aglf-vit_ttl-recon_demo_embedded.py')
# TTLRestorer keeps E_recon under 'generator.encoder.'.
model = dict(
    encoder_checkpoint='./work_dirs/aglf-vit_ttl-recon_demo_embedded',
    encoder_prefix='generator.encoder.')
