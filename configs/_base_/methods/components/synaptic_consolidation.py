# Synaptic Consolidation of Neural Reorganization (Xiao et al., ICCV 2021,
# Sec. 3.1) with the paper's constants: alpha_l=0.008, tau_s=1, tau_l=10
# (so alpha_s=0.5789 by Eq. 6), one global threshold over the network.
# Its frozen masks need the MaskedOptimWrapper of every sequence fragment.
sc_hook = dict(
    type='SynapticConsolidationHook',
    alpha_l=0.008,
    tau_s=1,
    tau_l=10,
    threshold='global',
    # Fig. 3b literally: every task adds its own top P(n) to the union
    # (methods/nr_free_rank.py: disjoint shares of Eq. 3 instead).
    rank_free_only=False,
    # Eq. 1 on every sample's own gradient (methods/nr_per_batch.py: per
    # batch).
    per_sample=True,
    # Eq. 1 differentiates the task loss, not the distillation term.
    loss_keys=['loss_pix'])
