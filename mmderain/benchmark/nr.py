"""Cost of Neural Reorganization: the NR training step and the importance
pass of Synaptic Consolidation.

The targets: an NR step (Synaptic Consolidation's frozen mask in the
optimizer wrapper plus the distillation teacher's forward, Xiao et al. ICCV
2021 Sec. 3) costs at most 1.40x a plain step of the same backbone; the
importance pass (Eq. 1) costs no more than one forward and backward per
sample it reads and holds one extra copy of the parameters.
"""
import copy
from typing import Callable, Dict, List, Tuple

import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from torch.func import functional_call, grad, vmap

from mmagic.registry import MODELS
from mmderain.engine.hooks import TeacherSnapshotHook
from mmderain.engine.importance import (estimate_importance, split_batch,
                                        task_loss, trainable_parameters)
from mmderain.engine.hooks.synaptic_consolidation_hook import (
    dual_exponent_fraction, select_top_fraction)
from mmderain.models.base_models import DistillationTerm
from .context import BenchContext
from .measure import (PeakMemory, clock_label, interleave, median,
                      run_in_subprocess)
from .report import make_figure, make_target
from .runner_steps import preprocessed, synthetic_batch

NR_CONFIG = 'configs/nr/prenet_nr_demo_rendered_seq.py'


def nr_sizes(quick: bool) -> Tuple[int, int]:
    """(batch, patch) of the NR demo (4, 64); (2, 16) when quick."""
    return (2, 16) if quick else (4, 64)


def build_nr_model(config: str, device: str, quick: bool) -> torch.nn.Module:
    """The NR config's model (``DistillEditModel``) with no loss terms."""
    cfg = Config.fromfile(config)
    init_default_scope(cfg.get('default_scope', 'mmagic'))
    model_cfg = copy.deepcopy(cfg.model)
    if quick:
        model_cfg.generator.num_stages = 1
    torch.manual_seed(0)
    return MODELS.build(model_cfg).to(device)


def nr_step(ctx: BenchContext,
            config: str = NR_CONFIG) -> Tuple[List[dict], List[dict]]:
    """Time the NR step against the plain step of the same backbone.

    The NR side has the teacher (a frozen copy, as ``TeacherSnapshotHook``
    sets it) and the frozen mask of the first task (the top ``P(0)`` of an
    importance, as ``SynapticConsolidationHook`` selects it) in its
    ``MaskedOptimWrapper``; the plain side is the same model with no
    teacher and mmengine's ``OptimWrapper``. Both run ``model.train_step``.
    """
    cfg = Config.fromfile(config)
    batch_size, patch = nr_sizes(ctx.quick)
    batch = synthetic_batch(batch_size, patch)
    nr_model = build_nr_model(config, ctx.device, ctx.quick)
    plain_model = copy.deepcopy(nr_model)
    teacher = copy.deepcopy(nr_model.generator).eval().requires_grad_(False)
    kd_hook = next(
        h for h in cfg.custom_hooks if h.type == 'TeacherSnapshotHook')
    nr_model.set_loss_term(
        TeacherSnapshotHook.loss_name,
        DistillationTerm(teacher,
                         MODELS.build(kd_hook.distill_loss).to(ctx.device)))
    nr_wrapper = build_optim_wrapper(nr_model, cfg.optim_wrapper)
    plain_wrapper = build_optim_wrapper(
        plain_model, dict(cfg.optim_wrapper, type='OptimWrapper'))
    params = trainable_parameters(nr_model)
    fake_importance = {
        n: torch.rand(p.shape, generator=torch.Generator().manual_seed(i))
        for i, (n, p) in enumerate(params.items())
    }
    fraction = dual_exponent_fraction(0, 0.008, 1.0, 10.0)
    masks = select_top_fraction(fake_importance, fraction)
    nr_wrapper.set_frozen_masks(
        (params[n], m.to(ctx.device)) for n, m in masks.items())
    inputs, _ = preprocessed(nr_model, batch, ctx.device)

    def teacher_forward() -> None:
        with torch.no_grad():
            teacher(inputs)

    steps = {
        'NR step (SC mask + KD teacher)':
        lambda: nr_model.train_step(batch, nr_wrapper),
        'plain step (same backbone)':
        lambda: plain_model.train_step(batch, plain_wrapper),
        'teacher forward alone': teacher_forward,
    }
    times = interleave(steps, ctx.rounds, warmup=1, device=ctx.device)
    source = f'{config} model, model.train_step'
    figures = [
        make_figure('nr', name, median(values), 's/iter', device=ctx.device,
                    threads=ctx.threads, batch=batch_size,
                    patch=f'{patch}x{patch}', source=source,
                    note=f'median of {len(values)}, interleaved, '
                    f'{clock_label(ctx.device)}; '
                    f'{fraction:.0%} of parameters frozen')
        for name, values in times.items()
    ]
    nr = median(times['NR step (SC mask + KD teacher)'])
    plain = median(times['plain step (same backbone)'])
    floor = 1 + median(times['teacher forward alone']) / plain
    figures.append(
        make_figure('nr', 'floor: 1 + teacher forward / plain step', floor,
                    'x', device=ctx.device, threads=ctx.threads,
                    batch=batch_size, patch=f'{patch}x{patch}',
                    source=source))
    targets = [
        make_target('NR step / plain step', nr / plain, 1.40,
                    device=ctx.device,
                    detail=f'PReNet b{batch_size} p{patch}, floor '
                    f'{floor:.2f}x')
    ]
    return figures, targets


def vmap_importance(generator: torch.nn.Module, loss_fn: Callable,
                    inputs: torch.Tensor,
                    targets: torch.Tensor) -> Dict[str, torch.Tensor]:
    """Sum over samples of ``|dL_i/dtheta|`` with per-sample gradients
    from ``torch.func`` (``vmap`` over ``grad``), one batched pass.

    Args:
        generator (nn.Module): The network.
        loss_fn (callable): ``loss_fn(pred, target)`` -> scalar.
        inputs (Tensor): (N, C, H, W) network inputs.
        targets (Tensor): (N, C, H, W) targets.

    Returns:
        dict[str, Tensor]: Summed absolute per-sample gradients by name.
    """
    params = {
        n: p.detach()
        for n, p in generator.named_parameters() if p.requires_grad
    }

    def sample_loss(weights, x, y):
        pred = functional_call(generator, weights, (x[None], ))
        return loss_fn(pred, y[None])

    grads = vmap(grad(sample_loss), in_dims=(None, 0, 0))(params, inputs,
                                                          targets)
    return {n: g.abs().sum(0) for n, g in grads.items()}


def _importance_batches(ctx_quick: bool) -> List[dict]:
    batch_size, patch = nr_sizes(ctx_quick)
    return [synthetic_batch(batch_size, patch, seed) for seed in range(2)]


def _importance_steps(model, batches, device) -> Dict[str, Callable]:
    params = list(trainable_parameters(model).values())
    generator, loss_fn = model.generator, model.pixel_loss
    tensors = [preprocessed(model, b, device) for b in batches]

    def per_sample_fwd_bwd() -> None:
        for data_batch in batches:
            for piece in split_batch(data_batch):
                torch.autograd.grad(
                    task_loss(model, piece, ['loss_pix']), params)

    def per_batch_fwd_bwd() -> None:
        for data_batch in batches:
            torch.autograd.grad(
                task_loss(model, data_batch, ['loss_pix']), params)

    def vmapped() -> None:
        for inputs, targets in tensors:
            vmap_importance(generator, loss_fn, inputs, targets)

    return {
        'one fwd+bwd per sample (reference)': per_sample_fwd_bwd,
        'importance, per sample (SC default)':
        lambda: estimate_importance(
            model, batches, per_sample=True, loss_keys=['loss_pix']),
        'importance, torch.func vmap per sample': vmapped,
        'one fwd+bwd per batch (reference)': per_batch_fwd_bwd,
        'importance, per batch':
        lambda: estimate_importance(
            model, batches, per_sample=False, loss_keys=['loss_pix']),
    }


def importance_peak_memory(config: str, device: str, quick: bool,
                           variant: str) -> Dict[str, int]:
    """Peak memory one importance variant adds (run it in a fresh
    process), and the bytes of the model's trainable parameters."""
    model = build_nr_model(config, device, quick)
    batches = _importance_batches(quick)
    steps = _importance_steps(model, batches, device)
    with PeakMemory(device) as peak:
        steps[variant]()
    param_bytes = sum(
        p.numel() * p.element_size()
        for p in trainable_parameters(model).values())
    return dict(peak=peak.peak_bytes, param_bytes=param_bytes,
                exact=peak.exact)


def importance_cost(
        ctx: BenchContext,
        config: str = NR_CONFIG) -> Tuple[List[dict], List[dict]]:
    """Time and memory of the importance pass, per sample read."""
    model = build_nr_model(config, ctx.device, ctx.quick)
    batches = _importance_batches(ctx.quick)
    samples = sum(len(b['inputs']) for b in batches)
    batch_size, patch = nr_sizes(ctx.quick)
    times = interleave(
        _importance_steps(model, batches, ctx.device), ctx.rounds,
        warmup=1, device=ctx.device)
    source = f'{config} model, estimate_importance'
    per_sample = {name: median(v) / samples for name, v in times.items()}
    figures = [
        make_figure('importance', name, value, 's/sample',
                    device=ctx.device, threads=ctx.threads, batch=batch_size,
                    patch=f'{patch}x{patch}', source=source,
                    note=f'{samples} samples, median of {ctx.rounds}, '
                    f'{clock_label(ctx.device)}')
        for name, value in per_sample.items()
    ]
    reference = per_sample['one fwd+bwd per sample (reference)']
    targets = [
        make_target(
            'importance pass / one fwd+bwd per sample',
            per_sample['importance, per sample (SC default)'] / reference,
            1.05, device=ctx.device,
            detail=f'{samples} samples b{batch_size} p{patch}; per batch: '
            f"{per_sample['importance, per batch'] / reference:.2f}x, vmap: "
            f"{per_sample['importance, torch.func vmap per sample'] / reference:.2f}x")  # noqa: E501
    ]
    peaks = {
        variant: run_in_subprocess(importance_peak_memory, config,
                                   ctx.device, ctx.quick, variant)
        for variant in ('one fwd+bwd per sample (reference)',
                        'importance, per sample (SC default)',
                        'importance, torch.func vmap per sample')
    }
    for variant, peak in peaks.items():
        figures.append(
            make_figure('importance', f'peak memory added: {variant}',
                        _mib(peak['peak']), 'MiB', device=ctx.device,
                        threads=ctx.threads, batch=batch_size,
                        patch=f'{patch}x{patch}', source=source,
                        note='fresh process' +
                        ('' if peak['exact'] else ', upper bound')))
    reference_peak = peaks['one fwd+bwd per sample (reference)']
    importance_peak = peaks['importance, per sample (SC default)']
    param_bytes = reference_peak['param_bytes']
    extra = None
    if None not in (reference_peak['peak'], importance_peak['peak']):
        extra = importance_peak['peak'] - reference_peak['peak']
    # The resident set grows in allocator chunks of megabytes, too coarse
    # for a small network's parameters: the target counts the bytes of the
    # state the pass keeps (its float32 sums), the RSS difference is shown.
    kept = state_bytes(
        estimate_importance(model, batches[:1], loss_keys=['loss_pix']))
    targets.append(
        make_target('importance pass: state kept, in parameter copies',
                    # Rounded: the buffer also holds the 4-byte count.
                    round(kept / param_bytes, 3), 1.0, unit='copies',
                    device=ctx.device,
                    detail=f'{kept:,} B of storage for {param_bytes:,} B of '
                    'parameters; peak RSS over one fwd+bwd: ' +
                    ('-' if extra is None else f'{extra / 2**20:+.1f} MiB')))
    return figures, targets


def state_bytes(tensors: Dict[str, torch.Tensor]) -> int:
    """Bytes of the distinct storages behind ``tensors``."""
    storages = {}
    for tensor in tensors.values():
        storage = tensor.untyped_storage()
        storages[storage.data_ptr()] = storage.nbytes()
    return sum(storages.values())


def _mib(value) -> object:
    return None if value is None else value / 2**20


def nr_suite(ctx: BenchContext) -> Tuple[List[dict], List[dict]]:
    """The NR step."""
    return nr_step(ctx)


def importance_suite(ctx: BenchContext) -> Tuple[List[dict], List[dict]]:
    """The importance pass."""
    return importance_cost(ctx)
