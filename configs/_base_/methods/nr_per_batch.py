# Neural Reorganization with the importance of Eq. 1 on per-batch
# gradients: the absolute gradient of each batch's loss is averaged,
# instead of every sample's own absolute gradient (Eq. 1 and Fig. 3b).
# Faster; samples whose gradients disagree cancel.
_base_ = [
    './components/synaptic_consolidation.py',
    './components/knowledge_distillation.py'
]

custom_hooks = [dict(_base_.sc_hook, per_sample=False), _base_.kd_hook]
