# Neural Reorganization (Xiao et al., ICCV 2021) on PReNet, the paper's
# settings:
#   sequence    Rain100H -> Rain800 -> Rain14000 -> Rain100L, evaluated on
#               the four test sets and SPA-Data after every task
#   per task    PReNet's recipe: batch 18 of 100x100 patches, Adam 1e-3,
#               100 epochs, lr x0.2 at epochs 30/50/80
#               (both: _base_/sequences/rain_seq.py)
#   SC (3.1)    alpha_l=0.008, tau_s=1, tau_l=10, so alpha_s=0.5789 by
#               Eq. 6; one global threshold
#   KD (3.2)    lambda=0.8 on negative SSIM to the previous network's
#               output (Eq. 7)
#               (both: _base_/methods/nr.py)
_base_ = [
    '../_base_/models/prenet_seq.py',
    '../_base_/sequences/rain_seq.py',
    '../_base_/methods/nr.py',
]

experiment_name = 'prenet_rain_seq'
work_dir = f'./work_dirs/{experiment_name}'
