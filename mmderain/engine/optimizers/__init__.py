from .masked_optim_wrapper import MaskedAmpOptimWrapper, MaskedOptimWrapper
from .penalty_optim_wrapper import (PenaltyAmpOptimWrapper,
                                    PenaltyOptimWrapper)

__all__ = [
    'MaskedAmpOptimWrapper', 'MaskedOptimWrapper', 'PenaltyAmpOptimWrapper',
    'PenaltyOptimWrapper'
]
