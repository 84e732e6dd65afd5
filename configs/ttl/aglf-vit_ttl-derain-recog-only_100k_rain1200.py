# Table 3 ablation "w/ T_recog": with one transfer task the paper distils
# nothing; the recognition encoder E_recog itself is fine-tuned with the
# de-raining decoder (same recipe as the full TTL fine-tuning).
_base_ = ['./aglf-vit_ttl-derain_100k_rain1200.py']

experiment_name = 'aglf-vit_ttl-derain-recog-only_100k_rain1200'
work_dir = f'./work_dirs/{experiment_name}'

ttl_stages = dict(
    _delete_=True, recognition='aglf-vit_ttl-recog_100k_realrain.py')
# TTLRecognizer keeps E_recog under 'encoder.'.
model = dict(
    encoder_checkpoint='./work_dirs/aglf-vit_ttl-recog_100k_realrain',
    encoder_prefix='encoder.')
