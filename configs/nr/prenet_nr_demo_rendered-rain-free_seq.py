# The NR CPU demo (prenet_nr_demo_rendered_seq.py) with a fifth of every
# task's training samples rain-free (input = ground truth), the recipe that
# made `make demo` help real rain: a model that only ever saw rain everywhere
# alters the rain-free pixels that make up most of a real rainy frame.
_base_ = [
    '../_base_/models/prenet_seq.py',
    '../_base_/sequences/rendered_rain_demo_seq.py',
    '../_base_/methods/nr.py',
]

experiment_name = 'prenet_nr_demo_rendered-rain-free_seq'
work_dir = f'./work_dirs/{experiment_name}'
model = dict(generator=dict(num_stages=4))

rain_free_prob = 0.2
sequence_tasks = [
    dict(
        task,
        dataloader=dict(
            task['dataloader'],
            dataset=dict(
                task['dataloader']['dataset'], rain_free_prob=rain_free_prob)))
    for task in _base_.sequence_tasks
]
train_dataloader = sequence_tasks[0]['dataloader']
train_cfg = dict(tasks=sequence_tasks)
