# configs/nr/prenet_nr_demo_rendered_seq.py shrunk for tests: the same four
# rendered-rain tasks, NR hooks and evaluation matrix, but 3 iterations per
# task, a 2-stage PReNet with 8 channels, 16x16 training patches and two
# 24x24 test images per set, so a whole sequence trains in seconds on a CPU.
_base_ = ['../../../configs/nr/prenet_nr_demo_rendered_seq.py']

demo_iters = 3
model = dict(generator=dict(num_stages=2, mid_channels=8))

tiny_sets = _base_.task_sets
tiny_loaders = [
    dict(
        batch_size=2,
        num_workers=0,
        sampler=dict(type='InfiniteSampler', shuffle=True),
        dataset=dict(
            _base_.rendered_rain100h_train,
            preset=name[len('rendered_'):],
            num_samples=4,
            img_size=16)) for name in tiny_sets
]
train_dataloader = dict(tiny_loaders[0], _delete_=True)
train_cfg = dict(
    tasks=[
        dict(name=name, max_iters=demo_iters, dataloader=loader)
        for name, loader in zip(tiny_sets, tiny_loaders)
    ],
    param_scheduler=dict(milestones=[1, 2]))

tiny_eval_loaders = [
    dict(
        batch_size=1,
        num_workers=0,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(
            _base_.rendered_heldout_test,
            preset=name[len('rendered_'):],
            num_samples=2,
            img_size=24)) for name in tiny_sets + ['rendered_heldout']
]
tiny_evaluators = [[dict(type='PSNR', prefix=f'{name}-RGB')]
                   for name in tiny_sets + ['rendered_heldout']]
val_dataloader = tiny_eval_loaders
val_evaluator = tiny_evaluators
test_dataloader = tiny_eval_loaders
test_evaluator = tiny_evaluators

default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(interval=1, max_keep_ckpts=-1),
    sequence_eval=dict(
        task_sets=tiny_sets, extra_sets=['rendered_heldout'],
        metrics=['RGB/PSNR']))
