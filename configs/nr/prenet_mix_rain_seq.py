# Mix baseline of Neural Reorganization (Table 1): the four training sets
# mixed into one task of 100 epochs over the union of their patch grids,
# i.e. ceil((18,810 + Rain800's + Rain12600's + 6,000 patches) / 18)
# iterations per epoch (the sequence's total, up to the rounding of each
# task), trained plainly.
_base_ = './prenet_si_rain_seq.py'

experiment_name = 'prenet_mix_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'

mix_dataloader = {
    **_base_.task_loaders[0], 'dataset':
    dict(
        type='ConcatDataset',
        datasets=_base_.train_datasets,
        ignore_keys=['dataset_type'])
}
train_dataloader = dict(mix_dataloader, _delete_=True)
train_cfg = dict(tasks=[
    dict(name='mix', max_epochs=_base_.task_epochs, dataloader=mix_dataloader)
])
