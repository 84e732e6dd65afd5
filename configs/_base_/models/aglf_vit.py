# Task Transfer Learning (Wang, Ma and Liu, "Removing Rain Streaks via Task
# Transfer Learning") on the AGLF-ViT backbone: the networks and the model
# of each of the four stages (the optimizer settings are in
# _base_/schedules/ttl_100k.py). Stage configs in configs/ttl/ pick from
# these variables.
#
# The paper gives 9 AGLF blocks; width, heads and window are not given.
# Decoder and head widths follow the encoder (in_channels / mid_channels
# default to its out_channels), so shrinking the encoder shrinks them too.
aglf_vit_encoder = dict(
    type='AGLFViTEncoder',
    in_channels=3,
    mid_channels=48,
    num_blocks=9,
    num_heads=4,
    window_size=8,
    attn_type='window')
aglf_vit_decoder = dict(
    type='SPPDecoder', out_channels=3, pool_scales=(1, 2, 4, 8))
aglf_vit_recog_head = dict(
    type='SPPRecognitionHead', num_outputs=1, pool_scales=(1, 2, 4, 8))

# Images are scaled to [0, 1]. The recognition and distillation models
# have no clean target to normalize (data_keys=None).
image_preprocessor = dict(
    type='DataPreprocessor', mean=[0., 0., 0.], std=[255., 255., 255.])
input_preprocessor = dict(image_preprocessor, data_keys=None)

# Stage 1: rainy (label 0) / rain-free (label 1) recognition, Eq. 1.
recognition_model = dict(
    type='TTLRecognizer',
    encoder=aglf_vit_encoder,
    head=aglf_vit_recog_head,
    loss=dict(type='MSELoss', loss_weight=1.0),
    data_preprocessor=input_preprocessor)

# Stages 2 and 4 (and the V2 baseline): L2 plus L2 of the gradients, Eq. 2.
_restorer = dict(
    type='TTLRestorer',
    generator=dict(
        type='AGLFViTNet',
        encoder=aglf_vit_encoder,
        decoder=aglf_vit_decoder,
        residual=True),
    pixel_loss=dict(type='MSELoss', loss_weight=1.0),
    gradient_loss=dict(type='GradientMSELoss', loss_weight=1.0),
    data_preprocessor=image_preprocessor)
reconstruction_model = _restorer

# Stage 3: direct (Eq. 3) plus indirect (Eq. 4) matching to both teachers.
# The checkpoints are set by each stage config (a .pth or a work dir).
distillation_model = dict(
    type='TTLDistiller',
    encoder=aglf_vit_encoder,
    recog_head=aglf_vit_recog_head,
    recon_decoder=aglf_vit_decoder,
    recognition_checkpoint=None,
    reconstruction_checkpoint=None,
    direct_loss=dict(type='FeatureDistillLoss', loss_weight=1.0),
    indirect_loss=dict(type='FeatureDistillLoss', loss_weight=1.0),
    data_preprocessor=input_preprocessor)

# Stage 4: the distilled student encoder (key prefix 'student.') with a new
# de-raining decoder.
derain_model = dict(
    _restorer, encoder_checkpoint=None, encoder_prefix='student.')
