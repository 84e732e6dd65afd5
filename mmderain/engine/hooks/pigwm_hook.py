"""The soft penalty of PIGWM as a penalty hook."""
from typing import Optional, Sequence

from mmagic.registry import HOOKS

from .quadratic_penalty_hook import QuadraticPenaltyHook


@HOOKS.register_module()
class PIGWMHook(QuadraticPenaltyHook):
    """Parameter Importance Guided Weights Modification, soft penalty (Zhou
    et al., "Image De-raining via Continual Learning", CVPR 2021).

    PIGWM, the earlier method of the Neural Reorganization authors, measures
    a parameter's importance to a finished de-raining dataset by its mean
    gradient magnitude, ``Omega = E_x |dL(f(x), y)/dtheta|`` (the same
    estimate as NR's Eq. 1, shared through :mod:`.importance`), and keeps
    important weights near their old values with the importance-weighted
    quadratic penalty ``L + lambda sum Omega (theta - theta*)^2`` instead of
    NR's hard mask. The equation numbers of that paper were not checked
    for this implementation; the importances of successive tasks are summed
    and the anchor is the weights after the latest task, as for MAS.

    The penalty is the model's loss term ``loss_pigwm``: needs
    ``model.type='DistillEditModel'``.

    Args:
        loss_weight (float): lambda of the penalty.
        per_sample (bool): Per-sample gradients, as NR's Eq. 1, or
            per-batch ones. Defaults to True.
        num_batches (int, optional): Batches of the finished task read.
            Defaults to None: one whole pass.
        loss_keys (Sequence[str], optional): Loss terms forming L, e.g.
            ``['loss_pix']``. Defaults to None: all terms.
    """

    loss_name = 'loss_pigwm'

    def __init__(self,
                 loss_weight: float,
                 per_sample: bool = True,
                 num_batches: Optional[int] = None,
                 loss_keys: Optional[Sequence[str]] = None) -> None:
        super().__init__(
            loss_weight=loss_weight,
            importance='gradient_magnitude',
            per_sample=per_sample,
            num_batches=num_batches,
            loss_keys=loss_keys)
