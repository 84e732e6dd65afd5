# PReNet (Ren et al., CVPR 2019) trained with negative SSIM on [0, 1] images.
model = dict(
    type='BaseEditModel',
    generator=dict(
        type='PReNet',
        in_channels=3,
        out_channels=3,
        mid_channels=32,
        num_stages=6,
        num_blocks=5,
        recurrent_unit='lstm',
        recursive_blocks=False),
    pixel_loss=dict(type='SSIMLoss', loss_weight=1.0, reduction='mean'),
    data_preprocessor=dict(
        type='DataPreprocessor',
        mean=[0., 0., 0.],
        std=[255., 255., 255.]))
