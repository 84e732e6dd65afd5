# Mix baseline of Neural Reorganization (Table 1): the four training sets
# mixed into one task of 100 epochs over their union (as many steps as the
# whole sequence), trained plainly.
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
