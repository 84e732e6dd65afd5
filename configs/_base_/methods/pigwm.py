# PIGWM's soft penalty (Zhou et al., CVPR 2021, the NR authors' earlier
# method): NR's gradient-magnitude importance (Eq. 1) as the weight of a
# quadratic penalty instead of a hard mask, added to the model's loss as
# loss_pigwm. No distillation, no synaptic consolidation.
# lambda=10 is the best of 1/10/100 (24.39/25.07/24.28 dB) on synthetic
# validation renders only, chosen by
# `tools/analysis_tools/nr_compare.py --grid` (README, "NR against
# continual-learning baselines"), 50 iterations per task.
custom_hooks = [
    dict(type='PIGWMHook', loss_weight=10.0, loss_keys=['loss_pix'])
]
