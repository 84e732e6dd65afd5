"""Terms that continual-learning hooks add to a model's training loss
(see :class:`~mmderain.models.base_models.DistillEditModel`).

A term is called as ``term(inputs, feats)`` with the preprocessed inputs
of the batch and the network output on them, and returns a scalar loss.
"""
from typing import Iterable, Tuple

import torch
from torch import Tensor, nn


class DistillationTerm:
    """``lambda L(f(x; theta), f(x; theta^(n-1)))``, the distillation term
    of Neural Reorganization (Xiao et al., ICCV 2021, Sec. 3.2, Eq. 7).

    Args:
        teacher (nn.Module): The frozen previous network ``f(.;
            theta^(n-1))``, run on the same inputs without gradients.
        distill_loss (nn.Module): The weighted loss between the network
            output and the teacher's, e.g. ``DistillationLoss``.
    """

    def __init__(self, teacher: nn.Module, distill_loss: nn.Module) -> None:
        self.teacher = teacher
        self.distill_loss = distill_loss

    def __call__(self, inputs: Tensor, feats: Tensor) -> Tensor:
        """The distillation loss of the output ``feats`` on ``inputs``."""
        with torch.no_grad():
            teacher_feats = self.teacher(inputs)
        return self.distill_loss(feats, teacher_feats)


class QuadraticPenaltyTerm:
    """``w * sum_i Omega_i (theta_i - theta*_i)^2``, the importance-weighted
    penalty to the weights of finished tasks of EWC, MAS and PIGWM's soft
    variant, computed in float32.

    The batch is not used: the gradient ``2 w Omega (theta - theta*)`` goes
    through the same clipping, AMP scaling and optimizer as the task
    gradient because the model adds the term to its loss.

    Args:
        terms (Iterable[tuple[Parameter, Tensor, Tensor]]): Triples of a
            parameter, its importance ``Omega`` and its anchor values
            ``theta*``, both of the parameter's shape.
        weight (float): ``w``.
    """

    def __init__(self, terms: Iterable[Tuple[nn.Parameter, Tensor, Tensor]],
                 weight: float) -> None:
        checked = []
        for param, importance, anchor in terms:
            for name, value in (('importance', importance), ('anchor',
                                                             anchor)):
                if value.shape != param.shape:
                    raise ValueError(
                        f'The penalty {name} of a parameter of shape '
                        f'{tuple(param.shape)} has shape '
                        f'{tuple(value.shape)}.')
            checked.append(
                (param, importance.to(param.device, torch.float32),
                 anchor.to(param.device, torch.float32)))
        if not checked:
            raise ValueError('QuadraticPenaltyTerm needs at least one '
                             '(parameter, importance, anchor) triple.')
        self.terms = checked
        self.weight = float(weight)

    def __call__(self, inputs: Tensor, feats: Tensor) -> Tensor:
        """The penalty at the current weights (differentiable in them)."""
        total = sum((importance * (param.float() - anchor).pow(2)).sum()
                    for param, importance, anchor in self.terms)
        return self.weight * total
