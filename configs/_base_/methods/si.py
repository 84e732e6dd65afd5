# SI, "single" training (Neural Reorganization, Table 1): every task
# trained plainly on the previous task's weights, no consolidation, no
# distillation. Also the method of the Mix baseline and of the
# single-dataset rows (Table 2).
custom_hooks = []
