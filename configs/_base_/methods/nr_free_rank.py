# Neural Reorganization with Synaptic Consolidation ranking only the
# parameters not yet protected: after task n exactly P(0)+...+P(n) of the
# network is protected (Eq. 3's shares of a fixed capacity), instead of the
# union of per-task top-P(n) selections of Fig. 3b.
_base_ = [
    './components/synaptic_consolidation.py',
    './components/knowledge_distillation.py'
]

custom_hooks = [dict(_base_.sc_hook, rank_free_only=True), _base_.kd_hook]
