from .distill_edit_model import DistillEditModel, LossTerm
from .loss_terms import DistillationTerm, QuadraticPenaltyTerm

__all__ = [
    'DistillEditModel', 'DistillationTerm', 'LossTerm', 'QuadraticPenaltyTerm'
]
