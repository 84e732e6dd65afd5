from .loss_plateau_lr import LossPlateauLR

__all__ = ['LossPlateauLR']
