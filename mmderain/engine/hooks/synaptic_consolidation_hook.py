"""Synaptic Consolidation of Neural Reorganization (Sec. 3.1, Fig. 3b)."""
import logging
import math
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import torch
from mmagic.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapper
from torch import Tensor, nn

from mmderain.engine.runner.sequential_train_loop import \
    require_sequential_loop

from mmderain.engine.importance import (estimate_importance, task_batches,
                                        trainable_parameters)

_CKPT_KEY = 'synaptic_consolidation'
_THRESHOLDS = ('global', 'per_tensor')


def dual_exponent_alpha_s(alpha_l: float, tau_s: float, tau_l: float) -> float:
    """Coefficient ``alpha_s`` that makes the fractions sum to one (Eq. 6).

    Args:
        alpha_l (float): Coefficient of the slow exponent.
        tau_s (float): Time constant of the fast exponent.
        tau_l (float): Time constant of the slow exponent.

    Returns:
        float: ``(1 - alpha_l / (1 - e^(-1/tau_l))) * (1 - e^(-1/tau_s))``.

    Raises:
        ValueError: If ``tau_l > tau_s > 0`` fails, ``alpha_l`` is negative,
            or the resulting ``alpha_s`` is negative.
    """
    if not tau_s > 0:
        raise ValueError(f'Synaptic Consolidation needs tau_s > 0 (Eq. 2), '
                         f'got tau_s={tau_s}.')
    if not tau_l > tau_s:
        raise ValueError('Synaptic Consolidation needs tau_l > tau_s (Eq. 2: '
                         f'the slow exponent is the long one), got '
                         f'tau_s={tau_s}, tau_l={tau_l}.')
    if not alpha_l >= 0:
        raise ValueError(f'Synaptic Consolidation needs alpha_l >= 0, got '
                         f'alpha_l={alpha_l}.')
    slow_share = alpha_l / (1 - math.exp(-1 / tau_l))
    alpha_s = (1 - slow_share) * (1 - math.exp(-1 / tau_s))
    if alpha_s < 0:
        raise ValueError(
            f'alpha_l={alpha_l} with tau_l={tau_l} already protects '
            f'{slow_share:.4f} > 1 of the network over all tasks, so alpha_s '
            f'from Eq. 6 would be {alpha_s:.4f} < 0; lower alpha_l or tau_l '
            f'(alpha_l must stay below 1 - exp(-1/tau_l) = '
            f'{1 - math.exp(-1 / tau_l):.4f}).')
    return alpha_s


def dual_exponent_fraction(n: int, alpha_l: float, tau_s: float,
                           tau_l: float) -> float:
    """Fraction ``P(n)`` of parameters consolidated after dataset ``n``
    (Eq. 2, with ``alpha_s`` from Eq. 6)."""
    if n < 0:
        raise ValueError(f'The dataset index n must be >= 0, got {n}.')
    alpha_s = dual_exponent_alpha_s(alpha_l, tau_s, tau_l)
    return alpha_s * math.exp(-n / tau_s) + alpha_l * math.exp(-n / tau_l)


def select_top_fraction(importance: Dict[str, Tensor],
                        fraction: float,
                        threshold: str = 'global',
                        protected: Optional[Dict[str, Tensor]] = None
                        ) -> Dict[str, Tensor]:
    """Select the most important elements (Fig. 3b).

    The importances are ranked in descending order, over all tensors
    together (``'global'``, Fig. 3b's serialized ranking) or within each
    tensor (``'per_tensor'``), and the top ``int(fraction * count)``
    elements are selected. Ties are broken by position, so every rank of a
    distributed run selects the same elements.

    With ``protected`` given, only the elements not protected yet are
    ranked, and ``fraction`` is the share of *all* elements that must be
    protected afterwards: ``int(fraction * count)`` minus those already
    protected are added.

    Args:
        importance (dict[str, Tensor]): Importance per parameter name.
        fraction (float): Share of the ranked elements to select, in [0, 1].
        threshold (str): ``'global'`` or ``'per_tensor'``.
        protected (dict[str, Tensor], optional): Masks already protected.

    Returns:
        dict[str, Tensor]: Boolean masks of the newly selected elements.
    """
    if threshold not in _THRESHOLDS:
        raise ValueError(f'threshold must be one of {_THRESHOLDS}, got '
                         f'{threshold!r}.')
    if not 0 <= fraction <= 1:
        raise ValueError(f'fraction must lie in [0, 1], got {fraction}.')
    names = list(importance)
    groups = [names] if threshold == 'global' else [[n] for n in names]
    selected = {}
    for group in groups:
        scores = torch.cat([importance[n].detach().flatten() for n in group])
        scores = scores.float()
        count = int(fraction * scores.numel())
        if protected is not None:
            taken = torch.cat([protected[n].flatten() for n in group])
            count = max(0, min(count - int(taken.sum()),
                               int((~taken).sum())))
            scores = scores.masked_fill(taken, -math.inf)
        flat = torch.zeros(scores.numel(), dtype=torch.bool,
                           device=scores.device)
        order = torch.argsort(scores, descending=True, stable=True)
        flat[order[:count]] = True
        offset = 0
        for n in group:
            numel = importance[n].numel()
            selected[n] = flat[offset:offset + numel].view_as(importance[n])
            offset += numel
    return selected


@HOOKS.register_module()
class SynapticConsolidationHook(Hook):
    """Protect the parameters important to finished tasks (Sec. 3.1).

    At every ``after_task`` event of ``SequentialTrainLoop`` it

    1. estimates the importance ``Omega = E_x |dL(f(x), y)/dtheta|`` per
       element on the finished task's training data (Eq. 1);
    2. takes the fraction ``P(n) = alpha_s e^(-n/tau_s) + alpha_l
       e^(-n/tau_l)`` for the task index ``n`` (Eq. 2), ``alpha_s`` following
       from Eq. 6;
    3. selects the top ``P(n)`` of the ranked importance and adds the
       selection to the cumulative mask (``Mask <- Mask OR SC``, Fig. 3a);
    4. hands the mask to the optimizer wrapper (``MaskedOptimWrapper`` or
       ``MaskedAmpOptimWrapper``), which keeps the masked elements
       bit-identical from then on.

    Two readings of the selection are offered. By default Fig. 3b is
    followed literally: all parameters are ranked and the top ``P(n)`` is
    added to the union, which grows only by what is new since later tasks
    tend to value the same parameters. With ``rank_free_only=True`` only the
    parameters not yet protected are ranked and the protected fraction
    after task ``n`` is exactly ``P(0) + ... + P(n)`` (rounded down to an
    element), Eq. 3's shares of a fixed capacity.

    The model runs in eval mode for the estimate (no batch-norm statistics
    change), gradients come from ``torch.autograd.grad`` (the parameters'
    ``.grad`` is untouched), and under distributed training the sums and
    counts are all-reduced so every rank holds the same mask. Masks,
    importance and the number of consolidated tasks are saved in
    checkpoints.

    Args:
        alpha_l (float): Coefficient of the slow exponent. Defaults to 0.008
            (the paper's 0.8%).
        tau_s (float): Fast time constant. Defaults to 1.
        tau_l (float): Slow time constant, larger than ``tau_s``. Defaults
            to 10.
        threshold (str): ``'global'`` ranks all parameters together (the
            paper's serialized ranking) and ``'per_tensor'`` ranks within
            each tensor. Defaults to ``'global'``.
        rank_free_only (bool): Rank only parameters not yet protected.
            Defaults to False.
        num_batches (int, optional): Batches used for the estimate, read in
            order from the task's training set (with the training loader's
            batch size, collate function and pipeline). Defaults to None:
            the whole set once.
        per_sample (bool): Average the absolute gradient of every single
            sample, as Eq. 1 and Fig. 3b write it. With False the absolute
            gradient of each batch loss is averaged (faster, smaller
            values for disagreeing samples). Defaults to True.
        loss_keys (Sequence[str], optional): Loss terms of the model's
            ``loss`` output that form L in Eq. 1, e.g. ``['loss_pix']`` to
            leave the distillation term out. Defaults to None: all terms.
    """

    priority = 'NORMAL'

    def __init__(self,
                 alpha_l: float = 0.008,
                 tau_s: float = 1.0,
                 tau_l: float = 10.0,
                 threshold: str = 'global',
                 rank_free_only: bool = False,
                 num_batches: Optional[int] = None,
                 per_sample: bool = True,
                 loss_keys: Optional[Sequence[str]] = None) -> None:
        self.alpha_s = dual_exponent_alpha_s(alpha_l, tau_s, tau_l)
        if threshold not in _THRESHOLDS:
            raise ValueError(f'SynapticConsolidationHook: threshold must be '
                             f'one of {_THRESHOLDS}, got {threshold!r}.')
        if num_batches is not None and num_batches < 1:
            raise ValueError('SynapticConsolidationHook: num_batches must be '
                             f'a positive integer or None, got {num_batches}.')
        self.alpha_l = alpha_l
        self.tau_s = tau_s
        self.tau_l = tau_l
        self.threshold = threshold
        self.rank_free_only = rank_free_only
        self.num_batches = num_batches
        self.per_sample = per_sample
        self.loss_keys = list(loss_keys) if loss_keys is not None else None

        self.masks: Dict[str, Tensor] = {}
        self.importance: Dict[str, Tensor] = {}
        self.num_consolidated = 0
        self.protected_fractions: List[float] = []

    def fraction(self, n: int) -> float:
        """``P(n)`` of Eq. 2 for this hook's constants."""
        return dual_exponent_fraction(n, self.alpha_l, self.tau_s, self.tau_l)

    @staticmethod
    def _model(runner) -> nn.Module:
        model = runner.model
        return model.module if is_model_wrapper(model) else model

    def before_train(self, runner) -> None:
        """Check the optimizer wrapper can apply masks, and apply any."""
        require_sequential_loop(runner, type(self).__name__)
        wrapper = runner.optim_wrapper
        if not hasattr(wrapper, 'set_frozen_masks'):
            raise TypeError(
                'SynapticConsolidationHook needs optim_wrapper type '
                "'MaskedOptimWrapper' (or 'MaskedAmpOptimWrapper' for --amp), "
                f'got {type(wrapper).__name__}.')
        self._push_masks(runner)

    def _push_masks(self, runner) -> None:
        wrapper = runner.optim_wrapper
        if not (isinstance(wrapper, OptimWrapper)
                and hasattr(wrapper, 'set_frozen_masks')):
            return
        params = trainable_parameters(self._model(runner))
        missing = sorted(set(self.masks) - set(params))
        if missing:
            raise KeyError('SynapticConsolidationHook has masks for '
                           f'parameters the model lacks: {missing[:5]}.')
        wrapper.set_frozen_masks(
            (params[n], m.to(params[n].device)) for n, m in self.masks.items())

    def compute_importance(self, model: nn.Module,
                           batches: Iterator) -> Dict[str, Tensor]:
        """Mean absolute gradient per parameter element (Eq. 1), by the
        ``'gradient_magnitude'`` strategy of :mod:`.importance`.

        Args:
            model (nn.Module): The unwrapped model (a ``BaseModel``).
            batches (Iterator): Collated batches of the task's data.

        Returns:
            dict[str, Tensor]: Importance per trainable parameter name,
            identical on every rank.
        """
        return estimate_importance(
            model,
            batches,
            strategy='gradient_magnitude',
            per_sample=self.per_sample,
            loss_keys=self.loss_keys,
            owner='SynapticConsolidationHook')

    def consolidate(self, importance: Dict[str, Tensor],
                    task_idx: int) -> Dict[str, Tensor]:
        """Add the top ``P(task_idx)`` of ``importance`` to the mask.

        Returns:
            dict[str, Tensor]: The elements selected for this task (before
            the union).
        """
        if self.masks and set(self.masks) != set(importance):
            raise KeyError('SynapticConsolidationHook: the model parameters '
                           'changed since the previous task.')
        self.masks = {
            n: m.to(importance[n].device)
            for n, m in self.masks.items()
        }
        if self.rank_free_only:
            share = sum(self.fraction(n) for n in range(task_idx + 1))
            protected = self.masks or {
                n: torch.zeros_like(v, dtype=torch.bool)
                for n, v in importance.items()
            }
            selected = select_top_fraction(
                importance, min(share, 1.0), self.threshold, protected)
        else:
            selected = select_top_fraction(importance,
                                           self.fraction(task_idx),
                                           self.threshold)
        self.masks = {
            n: (self.masks[n] | sel) if n in self.masks else sel.clone()
            for n, sel in selected.items()
        }
        self.importance = importance
        free, live = self.free_parameters(importance)
        if free and not live:
            # The share schedule assumes capacity is left to train; a
            # network whose remaining free units are dead on this task's data
            # (zero gradient, e.g. ReLU channels that never fire) can barely
            # learn the next task, and its scores then stay where they are.
            print_log(
                f'Synaptic Consolidation after task {task_idx}: every '
                'parameter with a gradient on its data is now protected; the '
                f'{free} free ones had none, so the next task may learn '
                'almost nothing. Protect less (alpha_l, tau_l) or drop '
                'rank_free_only.',
                logger='current',
                level=logging.WARNING)
        return selected

    def free_parameters(self,
                        importance: Dict[str, Tensor]) -> Tuple[int, int]:
        """Count the unprotected elements, and those of them that matter.

        Args:
            importance (dict[str, Tensor]): A task's importance (Eq. 1).

        Returns:
            tuple[int, int]: Elements not in the mask, and how many of them
            have a non-zero importance.
        """
        free = live = 0
        for name, mask in self.masks.items():
            unprotected = ~mask
            free += int(unprotected.sum())
            live += int((unprotected & (importance[name] != 0)).sum())
        return free, live

    @property
    def protected_fraction(self) -> float:
        """float: Share of all trainable elements currently protected."""
        total = sum(m.numel() for m in self.masks.values())
        if total == 0:
            return 0.0
        return sum(int(m.sum()) for m in self.masks.values()) / total

    def after_task(self, runner, task_idx: int) -> None:
        """Consolidate the finished task ``task_idx``."""
        if task_idx < self.num_consolidated:
            print_log(
                f'Synaptic Consolidation: task {task_idx} already '
                'consolidated (restored from the checkpoint)',
                logger='current')
            return
        importance = self.compute_importance(
            self._model(runner), task_batches(runner, task_idx,
                                              self.num_batches))
        selected = self.consolidate(importance, task_idx)
        self.num_consolidated = task_idx + 1
        self.protected_fractions.append(self.protected_fraction)
        new = sum(int(s.sum()) for s in selected.values())
        total = sum(s.numel() for s in selected.values())
        free, live = self.free_parameters(importance)
        print_log(
            f'Synaptic Consolidation after task {task_idx}: P({task_idx})='
            f'{self.fraction(task_idx):.4f}, selected {new}/{total}, '
            f'protected {self.protected_fraction:.4f} of the parameters; '
            f'{live} of the {free} free ones have a gradient on its data',
            logger='current')
        runner.message_hub.update_scalar('train/sc_protected_fraction',
                                         self.protected_fraction)
        self._push_masks(runner)

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Store masks, importance and progress in the checkpoint."""
        checkpoint[_CKPT_KEY] = dict(
            num_consolidated=self.num_consolidated,
            protected_fractions=list(self.protected_fractions),
            masks={n: m.cpu()
                   for n, m in self.masks.items()},
            importance={n: v.cpu()
                        for n, v in self.importance.items()})

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Restore masks, importance and progress from the checkpoint."""
        state = checkpoint.get(_CKPT_KEY)
        if state is None:
            return
        self.num_consolidated = int(state['num_consolidated'])
        self.protected_fractions = list(state['protected_fractions'])
        self.masks = {n: m.bool() for n, m in state['masks'].items()}
        self.importance = dict(state['importance'])
        self._push_masks(runner)
