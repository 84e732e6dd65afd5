"""The removed quadratic-penalty optimizer wrappers: their names fail with a
message naming the mechanism that replaced them."""
from mmagic.registry import OPTIM_WRAPPERS


@OPTIM_WRAPPERS.register_module()
class PenaltyOptimWrapper:
    """Removed: ``EWCHook``, ``MASHook`` and ``PIGWMHook`` add their penalty
    to the model's loss as a loss term (see
    :class:`~mmderain.models.DistillEditModel`). Building it raises a
    ``TypeError`` saying so; registered also as ``PenaltyAmpOptimWrapper``.
    """

    # So that --amp maps it to its former twin and fails the same way.
    amp_type = 'PenaltyAmpOptimWrapper'

    def __init__(self, *args, **kwargs) -> None:
        raise TypeError(
            "optim_wrapper.type='PenaltyOptimWrapper' (and "
            "'PenaltyAmpOptimWrapper') was removed: EWCHook, MASHook and "
            "PIGWMHook now add their penalty to the model's loss as a loss "
            "term (loss_ewc, loss_mas, loss_pigwm), which needs "
            "model.type='DistillEditModel'. Use optim_wrapper.type="
            "'MaskedOptimWrapper' or 'OptimWrapper' (as "
            'configs/_base_/sequences/ do).')


PenaltyAmpOptimWrapper = OPTIM_WRAPPERS.register_module(
    name='PenaltyAmpOptimWrapper', module=PenaltyOptimWrapper)
