# Neural Reorganization (Xiao et al., ICCV 2021): Synaptic Consolidation
# (Sec. 3.1) and Knowledge Distillation (Sec. 3.2).
_base_ = [
    './components/synaptic_consolidation.py',
    './components/knowledge_distillation.py'
]

custom_hooks = [_base_.sc_hook, _base_.kd_hook]
