# LwF (Li and Hoiem, "Learning without Forgetting", ECCV 2016): knowledge
# distillation from the network after the previous task alone, no synaptic
# consolidation. This is also NR's Table 3 ablation "w/o SC"; with one
# output head, LwF's distillation term is NR's Eq. 7 (SSIM to the teacher's
# output on the new task's images, weight 0.8).
_base_ = './components/knowledge_distillation.py'

custom_hooks = [_base_.kd_hook]
