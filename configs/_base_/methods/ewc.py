# EWC (Kirkpatrick et al., PNAS 2017), online form: the diagonal (empirical)
# Fisher of the pixel loss after every task, one quadratic penalty
# lambda/2 sum F (theta - theta*)^2 to the latest weights, added to the
# model's loss as loss_ewc. No distillation, no synaptic consolidation.
# lambda=1e3 is the best of 1e2/1e3/1e4/1e5 (26.53/26.60/26.39/26.11 dB)
# on rendered validation renders only, chosen by
# `tools/analysis_tools/nr_compare.py --grid` (README, "NR against
# continual-learning baselines"), 50 iterations per task, on the current
# presets (on the old ones of 2026-12-01 it was 1e4).
custom_hooks = [
    dict(type='EWCHook', loss_weight=1e3, loss_keys=['loss_pix'])
]
