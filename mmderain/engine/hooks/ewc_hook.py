"""Elastic Weight Consolidation, online form, as a penalty hook."""
from typing import Optional, Sequence

from mmagic.registry import HOOKS

from .quadratic_penalty_hook import QuadraticPenaltyHook


@HOOKS.register_module()
class EWCHook(QuadraticPenaltyHook):
    """EWC (Kirkpatrick et al., "Overcoming catastrophic forgetting in
    neural networks", PNAS 2017), online form.

    Eq. 3 of the paper, ``L(theta) = L_B(theta) + sum_i lambda / 2 F_i
    (theta_i - theta*_A,i)^2``, with ``F`` the diagonal Fisher information
    of the finished task (here the empirical Fisher of the pixel loss, see
    :mod:`.importance`). With more than two tasks one penalty is kept, as
    in online EWC (Schwarz et al., "Progress & Compress", ICML 2018, its
    online-EWC section; Huszar, PNAS 2018): ``F <- gamma F + F_new`` and
    the anchor moves to the weights after the latest task. ``gamma = 1``
    (the default) weighs all past tasks alike.

    The penalty is the model's loss term ``loss_ewc``: needs
    ``model.type='DistillEditModel'``.

    Args:
        loss_weight (float): lambda of Eq. 3.
        gamma (float): Decay of the older tasks' Fisher. Defaults to 1.
        per_sample (bool): Squares of per-sample gradients (the Fisher's
            definition) or of per-batch ones. Defaults to True.
        num_batches (int, optional): Batches of the finished task read.
            Defaults to None: one whole pass.
        loss_keys (Sequence[str], optional): Loss terms whose gradient is
            squared, e.g. ``['loss_pix']``. Defaults to None: all terms.
    """

    penalty_scale = 0.5
    loss_name = 'loss_ewc'

    def __init__(self,
                 loss_weight: float,
                 gamma: float = 1.0,
                 per_sample: bool = True,
                 num_batches: Optional[int] = None,
                 loss_keys: Optional[Sequence[str]] = None) -> None:
        super().__init__(
            loss_weight=loss_weight,
            importance='fisher',
            decay=gamma,
            per_sample=per_sample,
            num_batches=num_batches,
            loss_keys=loss_keys)
