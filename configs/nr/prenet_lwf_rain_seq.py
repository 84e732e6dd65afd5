# LwF (Li and Hoiem, ECCV 2016) on the NR sequence and recipe: knowledge
# distillation alone, also NR's Table 3 ablation "w/o SC"
# (_base_/methods/lwf.py).
_base_ = [
    '../_base_/models/prenet_seq.py',
    '../_base_/sequences/rain_seq.py',
    '../_base_/methods/lwf.py',
]

experiment_name = 'prenet_lwf_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'
