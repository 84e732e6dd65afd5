"""Reduce the learning rate when the training loss stops falling."""
from typing import Dict, Optional

import torch
from mmengine.dist import all_reduce
from mmengine.logging import MessageHub
from mmengine.optim import ReduceOnPlateauLR

from mmagic.registry import PARAM_SCHEDULERS


@PARAM_SCHEDULERS.register_module()
class LossPlateauLR(ReduceOnPlateauLR):
    """Multiply every learning rate by ``factor`` when the training loss
    plateaus, in iteration-based training.

    "Removing Rain Streaks via Task Transfer Learning" decays all learning
    rates by 0.5 "when the losses do not decrease". mmengine's
    ``ReduceOnPlateauLR`` watches validation metrics once per epoch; this
    variant watches a training loss: every ``interval`` iterations it takes
    the mean of ``train/<monitor>`` over those iterations (the value
    mmengine's ``RuntimeInfoHook`` logs from the model's loss dict) and
    counts a check without improvement. After more than ``patience`` such
    checks the rates are reduced. Every parameter group is scaled by the
    same factor, so the ratio of two groups (TTL's encoder and decoder
    rates) is kept.

    Args:
        optimizer (Optimizer | OptimWrapper): Wrapped optimizer.
        monitor (str): Loss key to watch; 'loss' is the total. Default:
            'loss'.
        interval (int): Iterations between checks. Default: 1000.
        factor (float): Multiplier of the learning rates. Default: 0.5.
        patience (int): Checks without improvement that are tolerated.
            Default: 2.
        **kwargs: Other arguments of mmengine's ``ReduceOnPlateauLR``
            (``threshold``, ``threshold_rule``, ``cooldown``,
            ``min_value``, ``begin``, ``end`` (in iterations), ...).
    """

    def __init__(self,
                 optimizer,
                 monitor: str = 'loss',
                 interval: int = 1000,
                 factor: float = 0.5,
                 patience: int = 2,
                 **kwargs) -> None:
        if kwargs.pop('by_epoch', False):
            raise ValueError('LossPlateauLR is iteration based; for epoch '
                             'based validation metrics use ReduceOnPlateauLR.')
        if interval < 1:
            raise ValueError(
                f'LossPlateauLR: interval must be >= 1, got {interval}.')
        super().__init__(
            optimizer,
            monitor=monitor,
            factor=factor,
            patience=patience,
            by_epoch=True,
            **kwargs)
        # The parent's __init__ asserts by_epoch although its plateau logic
        # does not depend on the unit, and mmengine offers no other switch:
        # by_epoch=False makes ParamSchedulerHook step it after every
        # iteration and keeps validation metrics away from it.
        self.by_epoch = False
        self.interval = interval
        # Iterations counted by this scheduler; saved in its state_dict, so
        # a resumed run checks at the same iterations.
        self.iters_seen = 0

    def step(self, metrics: Optional[Dict[str, float]] = None) -> None:
        """Count one iteration; every ``interval`` iterations compare the
        mean training loss with the best so far.

        Args:
            metrics (dict, optional): Explicit values to judge instead of
                the logged training loss. Default: None.
        """
        if metrics is not None:
            super().step(metrics)
            return
        # The parent's step without metrics counts the step that its
        # begin/end window is judged by.
        super().step()
        self.iters_seen += 1
        if self.iters_seen % self.interval:
            return
        key = f'train/{self.monitor}'
        hub = MessageHub.get_current_instance()
        try:
            history = hub.get_scalar(key)
        except KeyError as err:
            raise KeyError(
                f'LossPlateauLR: nothing logged under {key!r}; monitor must '
                "be 'loss' or a key of the model's loss dict.") from err
        # Each rank logs the loss of its own batches; the ranks must judge
        # the same mean, or their learning rates (and weights) drift apart.
        mean = torch.tensor(float(history.mean(self.interval)))
        all_reduce(mean, op='mean')
        super().step({self.monitor: mean.item()})
