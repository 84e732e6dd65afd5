# CPU demo of the Mix baseline (see prenet_mix_rain_seq.py): the four
# rendered-rain training sets mixed, as many iterations as the whole
# sequence (mix_task of _base_/sequences/rendered_rain_demo_seq.py).
_base_ = [
    '../_base_/models/prenet_seq.py',
    '../_base_/sequences/rendered_rain_demo_seq.py',
    '../_base_/methods/si.py',
]

experiment_name = 'prenet_mix_demo_rendered_seq'
work_dir = f'./work_dirs/{experiment_name}'
model = dict(generator=dict(num_stages=4))
train_dataloader = dict(_base_.mix_loader, _delete_=True)
train_cfg = dict(
    tasks=[_base_.mix_task],
    param_scheduler=dict(milestones=_base_.mix_milestones))
