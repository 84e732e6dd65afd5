# CPU demo of the Mix baseline (see prenet_mix_rain_seq.py): the four
# synthetic training sets mixed, as many iterations as the whole sequence.
_base_ = './prenet_si_demo_syn_seq.py'

experiment_name = 'prenet_mix_demo_syn_seq'
work_dir = f'./work_dirs/{experiment_name}'

mix_dataloader = {
    **_base_.task_loaders[0], 'dataset':
    dict(
        type='ConcatDataset',
        datasets=_base_.train_datasets,
        ignore_keys=['dataset_type'])
}
mix_iters = _base_.demo_iters * len(_base_.task_sets)
train_dataloader = dict(mix_dataloader, _delete_=True)
train_cfg = dict(
    tasks=[dict(name='mix', max_iters=mix_iters, dataloader=mix_dataloader)],
    param_scheduler=dict(milestones=[
        int(mix_iters * 0.3),
        int(mix_iters * 0.5),
        int(mix_iters * 0.8)
    ]))
