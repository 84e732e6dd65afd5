# PIGWM's soft penalty (Zhou et al., CVPR 2021, the NR authors' earlier
# method): NR's gradient-magnitude importance (Eq. 1) as the weight of a
# quadratic penalty instead of a hard mask, added to the model's loss as
# loss_pigwm. No distillation, no synaptic consolidation.
# lambda=1 is the best of 1/10/100 (26.53/26.30/25.76 dB) on rendered
# validation renders only, chosen by
# `tools/analysis_tools/nr_compare.py --grid` (README, "NR against
# continual-learning baselines"), 50 iterations per task, on the current
# presets (on the old ones of 2026-12-01 it was 10).
custom_hooks = [
    dict(type='PIGWMHook', loss_weight=1.0, loss_keys=['loss_pix'])
]
