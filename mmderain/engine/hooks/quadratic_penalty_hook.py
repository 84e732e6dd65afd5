"""Importance-weighted quadratic penalty to the weights of finished tasks,
the common form of EWC, MAS and PIGWM's soft variant."""
from typing import Dict, Optional, Sequence

from mmagic.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.logging import print_log
from torch import Tensor, nn

from mmderain.engine.runner.sequential_train_loop import \
    require_sequential_loop
from mmderain.models.base_models import QuadraticPenaltyTerm

from mmderain.engine.importance import (check_strategy, estimate_importance,
                                        task_batches, trainable_parameters)
from .loss_terms import loss_term_model


@HOOKS.register_module()
class QuadraticPenaltyHook(Hook):
    """Keep the weights important to finished tasks near their values.

    At every ``after_task`` event of ``SequentialTrainLoop`` the hook

    1. estimates the importance ``Omega_new`` of every parameter element on
       the finished task's training data (:mod:`.importance`), with its
       own penalty left out of the loss;
    2. folds it into one importance for all past tasks,
       ``Omega <- decay * Omega + Omega_new``;
    3. takes the current weights as the anchor ``theta*``;
    4. sets the model's loss term :attr:`loss_name` to
       ``penalty_scale * loss_weight * sum Omega (theta - theta*)^2`` (a
       :class:`~mmderain.models.QuadraticPenaltyTerm`; the model must be a
       ``DistillEditModel``), so that from then on the model minimizes
       ``L`` plus the penalty.

    One penalty to the latest weights covers all past tasks (the "online"
    form): memory stays two copies of the network however long the
    sequence. Importance, anchors and progress go into checkpoints, so a
    resumed run applies the same penalty.

    ``EWCHook``, ``MASHook`` and ``PIGWMHook`` fix the importance strategy
    and the constant factor of their papers; this class is the common
    machinery and may be configured directly for variants.

    Args:
        loss_weight (float): The penalty weight (lambda of the papers).
        importance (str): Strategy of :mod:`.importance`:
            ``'gradient_magnitude'``, ``'fisher'`` or ``'mas'``.
        decay (float): Factor on the previous tasks' importance before the
            new one is added, in [0, 1]. Defaults to 1 (plain sum).
        per_sample (bool): Differentiate every sample alone. Defaults to
            True.
        num_batches (int, optional): Batches of the finished task read for
            the estimate. Defaults to None: one whole pass.
        loss_keys (Sequence[str], optional): Loss terms forming L for the
            loss-based strategies, e.g. ``['loss_pix']``. Defaults to None:
            all terms.
    """

    priority = 'NORMAL'
    #: Constant factor of the paper's penalty (EWC writes lambda / 2).
    penalty_scale = 1.0
    #: Name of the term in the model's losses and the log.
    loss_name = 'loss_penalty'

    def __init__(self,
                 loss_weight: float,
                 importance: str,
                 decay: float = 1.0,
                 per_sample: bool = True,
                 num_batches: Optional[int] = None,
                 loss_keys: Optional[Sequence[str]] = None) -> None:
        name = type(self).__name__
        check_strategy(importance, name)
        if not loss_weight >= 0:
            raise ValueError(f'{name}: loss_weight must be >= 0, got '
                             f'{loss_weight}.')
        if not 0 <= decay <= 1:
            raise ValueError(f'{name}: decay must lie in [0, 1], got '
                             f'{decay}.')
        if num_batches is not None and num_batches < 1:
            raise ValueError(f'{name}: num_batches must be a positive '
                             f'integer or None, got {num_batches}.')
        self.loss_weight = loss_weight
        self.importance_strategy = importance
        self.decay = decay
        self.per_sample = per_sample
        self.num_batches = num_batches
        self.loss_keys = list(loss_keys) if loss_keys is not None else None

        self.importance: Dict[str, Tensor] = {}
        self.anchors: Dict[str, Tensor] = {}
        self.num_consolidated = 0

    @property
    def ckpt_key(self) -> str:
        """str: Key of this hook's state in checkpoints."""
        return f'quadratic_penalty_{type(self).__name__}'

    def before_train(self, runner) -> None:
        """Check the loop and the model, and apply any restored penalty."""
        require_sequential_loop(runner, type(self).__name__)
        self._push(runner)

    def penalty_term(self,
                     model: nn.Module) -> Optional[QuadraticPenaltyTerm]:
        """The current penalty on ``model``'s parameters; None before the
        first task end or with ``loss_weight`` 0."""
        params = trainable_parameters(model)
        missing = sorted(set(self.anchors) - set(params))
        if missing:
            raise KeyError(f'{type(self).__name__} has anchors for '
                           f'parameters the model lacks: {missing[:5]}.')
        weight = self.penalty_scale * self.loss_weight
        if not self.anchors or weight == 0:
            return None
        return QuadraticPenaltyTerm(
            ((params[n], self.importance[n], self.anchors[n])
             for n in self.anchors), weight)

    def _push(self, runner) -> None:
        model = loss_term_model(runner, type(self).__name__)
        term = self.penalty_term(model)
        if term is None:
            model.remove_loss_term(self.loss_name)
        else:
            model.set_loss_term(self.loss_name, term)

    def compute_importance(self, model: nn.Module,
                           batches) -> Dict[str, Tensor]:
        """This hook's importance of one task's data."""
        return estimate_importance(
            model,
            batches,
            strategy=self.importance_strategy,
            per_sample=self.per_sample,
            loss_keys=self.loss_keys,
            owner=type(self).__name__)

    def consolidate(self, model: nn.Module,
                    new_importance: Dict[str, Tensor]) -> None:
        """Fold ``new_importance`` in and anchor at the model's weights."""
        if self.importance and set(self.importance) != set(new_importance):
            raise KeyError(f'{type(self).__name__}: the model parameters '
                           'changed since the previous task.')
        self.importance = {
            n: self.decay * self.importance[n].to(v.device) +
            v if n in self.importance else v.clone()
            for n, v in new_importance.items()
        }
        params = trainable_parameters(model)
        self.anchors = {
            n: params[n].detach().float().clone()
            for n in self.importance
        }

    def after_task(self, runner, task_idx: int) -> None:
        """Estimate the finished task's importance and re-anchor."""
        name = type(self).__name__
        if task_idx < self.num_consolidated:
            print_log(
                f'{name}: task {task_idx} already consolidated (restored '
                'from the checkpoint)',
                logger='current')
            return
        model = loss_term_model(runner, name)
        # The importance is of the task loss alone, as in the papers.
        model.remove_loss_term(self.loss_name)
        new = self.compute_importance(
            model, task_batches(runner, task_idx, self.num_batches))
        self.consolidate(model, new)
        self.num_consolidated = task_idx + 1
        total = sum(float(v.sum()) for v in self.importance.values())
        print_log(
            f'{name} after task {task_idx}: importance '
            f'({self.importance_strategy}) summed over the network '
            f'{total:.4g}, penalty weight '
            f'{self.penalty_scale * self.loss_weight:g}',
            logger='current')
        self._push(runner)

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Store importance, anchors and progress in the checkpoint."""
        checkpoint[self.ckpt_key] = dict(
            num_consolidated=self.num_consolidated,
            importance={n: v.cpu()
                        for n, v in self.importance.items()},
            anchors={n: v.cpu()
                     for n, v in self.anchors.items()})

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Restore importance, anchors and progress from the checkpoint."""
        state = checkpoint.get(self.ckpt_key)
        if state is None:
            return
        self.num_consolidated = int(state['num_consolidated'])
        self.importance = {
            n: v.float()
            for n, v in state['importance'].items()
        }
        self.anchors = {n: v.float() for n, v in state['anchors'].items()}
        self._push(runner)
