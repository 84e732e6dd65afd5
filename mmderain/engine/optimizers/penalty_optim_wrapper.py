"""Optimizer wrappers that add an importance-weighted quadratic penalty to
the loss, the regularizer of EWC, MAS and PIGWM's soft variant:

    L'(theta) = L(theta) + sum_i w * Omega_i * (theta_i - theta*_i)^2

with ``Omega`` the importance and ``theta*`` the anchor weights of the
finished tasks, set by a penalty hook (``EWCHook``, ``MASHook``,
``PIGWMHook``) at every task end. The penalty is added to the loss before
``update_params`` scales it for gradient accumulation and backpropagates
it, so its gradient ``2 w Omega (theta - theta*)`` goes through the same
clipping, AMP scaling and optimizer as the task gradient.
"""
from typing import Dict, Iterable, Optional, Tuple

import torch
from mmengine.logging import MessageHub
from mmengine.optim import AmpOptimWrapper, OptimWrapper
from torch import Tensor, nn

from mmagic.registry import OPTIM_WRAPPERS


class QuadraticPenaltyMixin:
    """Penalty logic shared by :class:`PenaltyOptimWrapper` and
    :class:`PenaltyAmpOptimWrapper`."""

    optimizer: torch.optim.Optimizer

    def _terms(self) -> list:
        # Created lazily: the mixin adds no constructor arguments.
        if not hasattr(self, '_penalty_terms'):
            self._penalty_terms: list = []
            self._penalty_weight = 0.0
        return self._penalty_terms

    def set_penalty(self, terms: Iterable[Tuple[nn.Parameter, Tensor,
                                                Tensor]],
                    weight: float) -> None:
        """Replace the penalty.

        Args:
            terms (Iterable[tuple[Parameter, Tensor, Tensor]]): Triples of
                a parameter this optimizer updates, its importance and its
                anchor values, both of the parameter's shape.
            weight (float): ``w`` of the module docstring's formula.
        """
        handled = {
            id(p)
            for group in self.optimizer.param_groups for p in group['params']
        }
        checked = []
        for param, importance, anchor in terms:
            if id(param) not in handled:
                raise ValueError(
                    'set_penalty got a parameter of shape '
                    f'{tuple(param.shape)} that this optimizer does not '
                    'update; build the optimizer from the same model.')
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
        self._penalty_terms = checked
        self._penalty_weight = float(weight)

    def penalty(self) -> Optional[Tensor]:
        """The current penalty, differentiable in the parameters; None
        before the first task end."""
        terms = self._terms()
        if not terms or self._penalty_weight == 0:
            return None
        total = sum((importance * (param.float() - anchor).pow(2)).sum()
                    for param, importance, anchor in terms)
        return self._penalty_weight * total

    def update_params(self,
                      loss: Tensor,
                      step_kwargs: Optional[Dict] = None,
                      zero_kwargs: Optional[Dict] = None) -> None:
        """Add the penalty to ``loss`` and update the parameters."""
        penalty = self.penalty()
        if penalty is not None:
            MessageHub.get_current_instance().update_scalar(
                'train/loss_penalty', penalty.item())
            loss = loss + penalty
        super().update_params(  # type: ignore[misc]
            loss, step_kwargs=step_kwargs, zero_kwargs=zero_kwargs)


@OPTIM_WRAPPERS.register_module()
class PenaltyOptimWrapper(QuadraticPenaltyMixin, OptimWrapper):
    """:class:`OptimWrapper` that adds the quadratic penalty of a penalty
    hook to every loss. Same arguments as mmengine's ``OptimWrapper``;
    ``--amp`` of ``tools/train.py`` switches it to ``amp_type``."""

    amp_type = 'PenaltyAmpOptimWrapper'


@OPTIM_WRAPPERS.register_module()
class PenaltyAmpOptimWrapper(QuadraticPenaltyMixin, AmpOptimWrapper):
    """:class:`AmpOptimWrapper` (``--amp``) that adds the quadratic penalty,
    computed in float32, to every loss before scaling."""
