from .distill_edit_model import DistillEditModel

__all__ = ['DistillEditModel']
