# Twin of prenet_b4-p64_1200i_raintrainl.py: the same network, budget,
# seed, patch size and clean images (RainTrainL's training split), but the
# rain is rendered (preset `rain100l`, fitted to the statistics of the rain
# of RainTrainL's training split with tools/analysis_tools/rain_stats.py)
# instead of RainTrainL's own. It is evaluated on the same held-out split:
# the gap to the RainTrainL-trained twin is how far our rendered rain is
# from the public benchmark's.
_base_ = ['./prenet_b4-p64_1200i_raintrainl.py']

experiment_name = 'prenet_b4-p64_1200i_rendered-rain100l'
work_dir = f'./work_dirs/{experiment_name}'

rendered_preset = 'rain100l'

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='RenderedRainDataset',
        preset=rendered_preset,
        # Rain over the clean images of the training split, cropped at
        # native resolution as PairedRandomCrop crops RainTrainL's pairs.
        clean_source=dict(
            type='Rain100Dataset',
            data_root=_base_.raintrainl_root,
            id_range=_base_.raintrainl_train_ids),
        img_size=_base_.raintrainl_patch_size,
        random_scale=False,
        num_samples=150,
        pipeline=[
            dict(type='Flip', keys=['img', 'gt'], direction='horizontal'),
            dict(type='PackInputs'),
        ]))
