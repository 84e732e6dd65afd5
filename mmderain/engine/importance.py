"""Parameter importance on a finished task's data, shared by Synaptic
Consolidation (NR), EWC, MAS and PIGWM.

Every method estimates, after a task, one non-negative number per
parameter element from one pass over that task's training data. They
differ only in what is differentiated and how a gradient becomes a score:

- ``'gradient_magnitude'``: ``|dL/dtheta|`` of the task loss L;
- ``'fisher'``: ``(dL/dtheta)^2`` of the task loss L;
- ``'mas'``: ``|dN/dtheta|`` of the output's mean square N (no label).

Sources:

- ``'gradient_magnitude'``: Neural Reorganization Eq. 1 (Xiao et al.,
  ICCV 2021) and the importance of PIGWM (Zhou et al., CVPR 2021).
- ``'fisher'``: the diagonal of the empirical Fisher information, EWC's
  ``F_i`` (Kirkpatrick et al., PNAS 2017, Eq. 3 and its supplement). For
  classification EWC differentiates the log-likelihood of the label; a
  de-raining network has no predictive distribution, but a pixel loss is
  the negative log-likelihood of the clean image under a fixed-scale noise
  model (L2: Gaussian, L1: Laplace) up to a constant and a scale, so the
  squared gradient of the task loss at the true target is the empirical
  Fisher of that model; the unknown scale is absorbed by the penalty
  weight. Drawing targets from the model (the "true" Fisher) would need
  an assumed noise level, hence the empirical form.
- ``'mas'``: Memory Aware Synapses (Aljundi et al., ECCV 2018, Eq. 10):
  the sensitivity of the squared L2 norm of the output, which needs no
  labels. The norm is averaged over output elements instead of summed so
  that the scale does not grow with the image size (a constant factor the
  penalty weight absorbs).

Per sample (``per_sample=True``) every sample is differentiated alone, as
the papers write the expectations; per batch the score of the gradient of
each batch's mean is taken, which is faster and, for ``|.|`` and
``(.)^2``, never larger (disagreeing samples cancel). The model is in eval
mode during the pass and ``torch.autograd.grad`` leaves ``.grad`` alone.
Under distributed training the sums and sample counts are all-reduced, so
every rank gets the importance of all the data.

A pass over a paper-size task takes long, so rank 0 logs its progress
(its share of the batches and samples, the time) at most every
``log_interval`` seconds and once at the end.
"""
import time
from typing import (Callable, Dict, Iterable, Iterator, Optional, Sequence,
                    Sized)

import torch
from mmengine.dataset import DefaultSampler
from mmengine.dist import all_reduce, get_rank, get_world_size
from mmengine.logging import print_log
from torch import Tensor, nn
from torch.utils.data import DataLoader

STRATEGIES = ('gradient_magnitude', 'fisher', 'mas')


def split_batch(data_batch) -> Iterator:
    """Yield one-sample batches from a collated batch (a dict of per-sample
    lists or stacked tensors)."""
    if not isinstance(data_batch, dict):
        raise TypeError('Per-sample importance needs dict batches with '
                        "per-sample sequences (e.g. 'inputs', "
                        f"'data_samples'), got {type(data_batch)}.")
    keys = list(data_batch)
    size = len(data_batch[keys[0]])
    for i in range(size):
        yield {k: data_batch[k][i:i + 1] for k in keys}


def trainable_parameters(model: nn.Module) -> Dict[str, nn.Parameter]:
    """The parameters that importance is estimated for, by name."""
    return {n: p for n, p in model.named_parameters() if p.requires_grad}


def task_loss(model: nn.Module,
              data_batch,
              loss_keys: Optional[Sequence[str]] = None,
              owner: str = 'importance') -> Tensor:
    """The task loss L of one (pre-collation) batch.

    Args:
        model (nn.Module): The unwrapped ``BaseModel``.
        data_batch: A batch as the dataloader yields it.
        loss_keys (Sequence[str], optional): Terms of the model's ``loss``
            output summed into L, e.g. ``['loss_pix']`` to leave a
            distillation term out. Defaults to None: all terms.
        owner (str): Name used in error messages. Defaults to
            ``'importance'``.
    """
    data = model.data_preprocessor(data_batch, training=True)
    losses = model(**data, mode='loss') if isinstance(
        data, dict) else model(*data, mode='loss')
    if loss_keys is None:
        loss, _ = model.parse_losses(losses)
        return loss
    missing = [k for k in loss_keys if k not in losses]
    if missing:
        raise KeyError(f'{owner}: loss_keys {missing} are not among the '
                       f'model losses {sorted(losses)}.')
    return sum(losses[k] for k in loss_keys)


def output_sq_norm(model: nn.Module, data_batch) -> Tensor:
    """MAS's objective: the mean squared output of the network (Aljundi et
    al. 2018, Eq. 10, averaged instead of summed over elements)."""
    data = model.data_preprocessor(data_batch, training=True)
    output = model(**data, mode='tensor') if isinstance(
        data, dict) else model(*data, mode='tensor')
    if isinstance(output, (list, tuple)):
        output = output[-1]
    if not isinstance(output, Tensor):
        raise TypeError("MAS importance needs the model's mode='tensor' "
                        'output to be a tensor (or a list ending with one), '
                        f'got {type(output).__name__}.')
    return output.float().pow(2).mean()


def objective_of(strategy: str,
                 loss_keys: Optional[Sequence[str]] = None,
                 owner: str = 'importance') -> Callable:
    """The differentiated quantity of a strategy, ``fn(model, batch)``."""
    check_strategy(strategy, owner)
    if strategy == 'mas':
        return output_sq_norm
    return lambda model, batch: task_loss(model, batch, loss_keys, owner)


def check_strategy(strategy: str, owner: str = 'importance') -> None:
    """Raise a clear error for an unknown strategy name."""
    if strategy not in STRATEGIES:
        raise ValueError(f'{owner}: importance must be one of {STRATEGIES}, '
                         f'got {strategy!r}.')


def _batch_size(data_batch) -> int:
    """Samples in a collated batch (1 when it is not a dict of sequences).
    """
    if isinstance(data_batch, dict) and data_batch:
        first = next(iter(data_batch.values()))
        if isinstance(first, (Sized, Tensor)):
            return len(first)
    return 1


class _Progress:
    """Logs an importance pass's progress on rank 0, at most every
    ``interval`` seconds and once at the end."""

    def __init__(self, owner: str, total: Optional[int],
                 interval: float) -> None:
        self.owner = owner
        self.total = total
        self.interval = interval
        self.start = self.last = time.monotonic()
        self.batches = self.samples = 0
        self.enabled = get_rank() == 0

    def step(self, samples: int) -> None:
        self.batches += 1
        self.samples += samples
        now = time.monotonic()
        if self.enabled and now - self.last >= self.interval:
            self.last = now
            elapsed = now - self.start
            of = f'/{self.total}' if self.total else ''
            line = (f'{self.owner}: importance pass, batch {self.batches}'
                    f'{of} ({self.samples} samples), {elapsed:.0f} s')
            if self.total and self.batches < self.total:
                left = elapsed / self.batches * (self.total - self.batches)
                line += f', about {left:.0f} s left'
            print_log(line, logger='current')

    def finish(self) -> None:
        if self.enabled:
            print_log(
                f'{self.owner}: importance pass done, {self.batches} '
                f'batches ({self.samples} samples) in '
                f'{time.monotonic() - self.start:.1f} s',
                logger='current')


@torch.enable_grad()
def estimate_importance(model: nn.Module,
                        batches: Iterable,
                        strategy: str = 'gradient_magnitude',
                        per_sample: bool = True,
                        loss_keys: Optional[Sequence[str]] = None,
                        owner: str = 'importance',
                        log_interval: float = 30.) -> Dict[str, Tensor]:
    """Mean per-element score of the gradients over all samples (or
    batches), identical on every rank.

    Args:
        model (nn.Module): The unwrapped model (a ``BaseModel``).
        batches (Iterable): Collated batches of the task's data.
        strategy (str): One of :data:`STRATEGIES`. Defaults to
            ``'gradient_magnitude'``.
        per_sample (bool): Differentiate every sample alone. Defaults to
            True.
        loss_keys (Sequence[str], optional): Loss terms forming L (not used
            by ``'mas'``). Defaults to None: all terms.
        owner (str): Name used in error and log messages.
        log_interval (float): Least seconds between two progress lines;
            their total is ``len(batches)`` when it has one. Defaults to 30.

    Returns:
        dict[str, Tensor]: float32 importance per trainable parameter name.
    """
    objective = objective_of(strategy, loss_keys, owner)
    score = (lambda g: g.pow(2)) if strategy == 'fisher' else torch.abs
    params = trainable_parameters(model)
    names = list(params)
    # One float32 buffer holds every sum and, last, the sample count: the
    # pass keeps one extra copy of the parameters (the running sums double
    # as the result) and all-reduces once.
    numels = [p.numel() for p in params.values()]
    first = next(iter(params.values()))
    flat = torch.zeros(sum(numels) + 1, dtype=torch.float32,
                       device=first.device)
    sums = [
        chunk.view_as(p)
        for chunk, p in zip(flat[:-1].split(numels), params.values())
    ]
    count = 0
    progress = _Progress(owner,
                         len(batches) if isinstance(batches, Sized) else None,
                         log_interval)
    was_training = model.training
    model.eval()
    try:
        for data_batch in batches:
            pieces = split_batch(data_batch) if per_sample else [data_batch]
            for piece in pieces:
                grads = torch.autograd.grad(
                    objective(model, piece),
                    list(params.values()),
                    allow_unused=True)
                for total, grad in zip(sums, grads):
                    if grad is not None:
                        total.add_(score(grad.detach().float()))
                count += 1
            progress.step(_batch_size(data_batch))
    finally:
        model.train(was_training)
    progress.finish()
    flat[-1] = float(count)
    if get_world_size() > 1:
        all_reduce(flat, op='sum')
    total_count = flat[-1].item()
    if total_count == 0:
        raise RuntimeError(f"{owner} saw no data: the finished task's "
                           'dataloader is empty.')
    flat[:-1].div_(total_count)
    return dict(zip(names, sums))


def importance_loader(train_loader: DataLoader) -> DataLoader:
    """One ordered pass over a task's training set, split over ranks.

    The train loader's own sampler is not used: an infinite sampler keeps
    one index stream for all its iterators, so reading from it would depend
    on how far training (or a resumed run) had read.
    """
    return DataLoader(
        train_loader.dataset,
        batch_size=train_loader.batch_size or 1,
        sampler=DefaultSampler(
            train_loader.dataset, shuffle=False, round_up=False),
        num_workers=train_loader.num_workers,
        collate_fn=train_loader.collate_fn,
        worker_init_fn=train_loader.worker_init_fn)


class _FirstBatches:
    """The first ``limit`` batches of a loader, with a length (so that the
    progress log can say how far the pass is)."""

    def __init__(self, loader: DataLoader, limit: int) -> None:
        self.loader = loader
        self.limit = min(limit, len(loader))

    def __len__(self) -> int:
        return self.limit

    def __iter__(self) -> Iterator:
        for i, batch in enumerate(self.loader):
            if i >= self.limit:
                return
            yield batch


def task_batches(runner, task_idx: int,
                 num_batches: Optional[int] = None) -> Iterable:
    """The first ``num_batches`` batches (None: all) of one ordered pass
    over task ``task_idx``'s training set of a ``SequentialTrainLoop``."""
    loader = importance_loader(runner.train_loop.dataloaders[task_idx])
    return _FirstBatches(loader, num_batches or len(loader))
