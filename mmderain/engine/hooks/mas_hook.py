"""Memory Aware Synapses as a penalty hook."""
from typing import Optional

from mmagic.registry import HOOKS

from .quadratic_penalty_hook import QuadraticPenaltyHook


@HOOKS.register_module()
class MASHook(QuadraticPenaltyHook):
    """MAS (Aljundi et al., "Memory Aware Synapses: Learning what (not) to
    forget", ECCV 2018).

    Eq. 3 of the paper, ``L(theta) = L_n(theta) + lambda sum_ij Omega_ij
    (theta_ij - theta*_ij)^2``, with ``Omega`` from Eq. 10: the mean
    absolute gradient of the squared L2 norm of the network output over
    the task's samples (no labels needed; the norm is averaged over output
    elements here, see :mod:`.importance`). As in the paper the importance
    of successive tasks is accumulated (summed) and the anchor is the
    weights after the latest task.

    The penalty is the model's loss term ``loss_mas``: needs
    ``model.type='DistillEditModel'``.

    Args:
        loss_weight (float): lambda of Eq. 3.
        per_sample (bool): Per-sample gradients, as Eq. 10 writes them, or
            per-batch ones. Defaults to True.
        num_batches (int, optional): Batches of the finished task read.
            Defaults to None: one whole pass.
    """

    loss_name = 'loss_mas'

    def __init__(self,
                 loss_weight: float,
                 per_sample: bool = True,
                 num_batches: Optional[int] = None) -> None:
        super().__init__(
            loss_weight=loss_weight,
            importance='mas',
            per_sample=per_sample,
            num_batches=num_batches)
