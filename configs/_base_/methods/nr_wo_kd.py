# Ablation of Neural Reorganization (Table 3): Synaptic Consolidation only,
# no Knowledge Distillation.
_base_ = './components/synaptic_consolidation.py'

custom_hooks = [_base_.sc_hook]
