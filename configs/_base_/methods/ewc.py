# EWC (Kirkpatrick et al., PNAS 2017), online form: the diagonal (empirical)
# Fisher of the pixel loss after every task, one quadratic penalty
# lambda/2 sum F (theta - theta*)^2 to the latest weights, added to the
# model's loss as loss_ewc. No distillation, no synaptic consolidation.
# lambda=1e4 is the best of 1e2/1e3/1e4/1e5 (24.26/24.57/24.98/24.60 dB)
# on synthetic validation renders only, chosen by
# `tools/analysis_tools/nr_compare.py --grid` (README, "NR against
# continual-learning baselines"), 50 iterations per task.
custom_hooks = [
    dict(type='EWCHook', loss_weight=1e4, loss_keys=['loss_pix'])
]
