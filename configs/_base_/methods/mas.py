# MAS (Aljundi et al., ECCV 2018): importance from the sensitivity of the
# squared output norm (Eq. 10, no labels), summed over tasks, quadratic
# penalty lambda sum Omega (theta - theta*)^2 added to the model's loss as
# loss_mas. No distillation, no synaptic consolidation.
# lambda=10 is the best of 1/10/100 (24.40/24.92/24.59 dB) on synthetic
# validation renders only, chosen by
# `tools/analysis_tools/nr_compare.py --grid` (README, "NR against
# continual-learning baselines"), 50 iterations per task.
custom_hooks = [dict(type='MASHook', loss_weight=10.0)]
