# LwF (Li and Hoiem, "Learning without Forgetting", ECCV 2016)
# on the NR sequence: knowledge distillation from the network after the
# previous task alone, no synaptic consolidation. This is also NR's Table 3
# ablation "w/o SC"; with one output head, LwF's distillation term is NR's
# Eq. 7 (SSIM to the teacher's output on the new task's images, weight 0.8).
_base_ = './prenet_rain_seq.py'

experiment_name = 'prenet_lwf_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'

optim_wrapper = dict(type='OptimWrapper')
custom_hooks = [_base_.kd_hook, _base_.eval_hook]
