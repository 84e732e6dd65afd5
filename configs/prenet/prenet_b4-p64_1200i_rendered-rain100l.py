# Twin of prenet_b4-p64_1200i_real-rain100l.py: the same network, budget,
# seed, patch size and clean images (RainTrainL's training split), but the
# rain is rendered (preset `rain100l`, fitted to the statistics of the real
# rain of RainTrainL's training split with tools/analysis_tools/rain_stats.py)
# instead of real. It is evaluated on the same held-out real split: the gap to
# the real-trained twin is how far rendered rain is from real rain.
_base_ = ['./prenet_b4-p64_1200i_real-rain100l.py']

experiment_name = 'prenet_b4-p64_1200i_rendered-rain100l'
work_dir = f'./work_dirs/{experiment_name}'

rendered_preset = 'rain100l'

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='SyntheticRainDataset',
        preset=rendered_preset,
        # Rain over the clean images of the real training split, cropped at
        # native resolution as PairedRandomCrop crops the real pairs.
        clean_source=dict(
            type='Rain100Dataset',
            data_root=_base_.real_rain100l_root,
            id_range=_base_.real_train_ids),
        img_size=_base_.real_patch_size,
        random_scale=False,
        num_samples=150,
        pipeline=[
            dict(type='Flip', keys=['img', 'gt'], direction='horizontal'),
            dict(type='PackInputs'),
        ]))
