"""Training speed: the PReNet step through mmengine against a plain PyTorch
loop and against the original PReNet code's step, and the AGLF-ViT step.

The targets: the mmengine step (Runner iteration: hooks, data
preprocessor, ``model.train_step``, optimizer wrapper) costs at most 1.05x a
plain loop with the same network, batch, loss (negative SSIM) and Adam, and
at most 1.0x the step of the original code's network.
"""
import copy
import os.path as osp
from typing import Dict, List, Tuple

import torch

from .context import BenchContext
from .measure import clock_label, interleave, median
from .original_prenet import OriginalPReNet
from .report import make_figure, make_target
from .runner_steps import (benchmark_config, plain_step, preprocessed,
                           synthetic_batch, unwrap, with_prepared_runners)

PRENET_CONFIG = 'configs/prenet/prenet_b4-p64_800i_rendered-mix.py'
AGLF_VIT_CONFIG = 'configs/ttl/aglf-vit_v2_demo_embedded.py'


def train_sizes(ctx: BenchContext) -> Tuple[int, int]:
    """(batch, patch) of the timed training steps: the CPU demo's (4, 64),
    PReNet's paper setting (18, 100) on a GPU, (2, 16) when quick."""
    if ctx.quick:
        return 2, 16
    return (18, 100) if ctx.device.startswith('cuda') else (4, 64)


def _runner_options(ctx: BenchContext, extra: dict) -> dict:
    options = dict(extra)
    if ctx.quick:
        options['model.generator.num_stages'] = 2
    return options


def _variant_runners(ctx: BenchContext, config: str, tag: str,
                     base_options: dict) -> Dict[str, object]:
    """One Runner per measured variant of ``config``: as configured, and
    with each requested speed-up option switched on."""
    from mmengine.runner import Runner
    variants = {'': base_options}
    if 'channels_last' in ctx.options:
        variants['channels-last'] = dict(
            base_options,
            custom_hooks=[dict(type='ChannelsLastHook')])
    if 'compile' in ctx.options:
        variants['compile'] = dict(base_options, compile=True)
    if 'amp' in ctx.options and ctx.device.startswith('cuda'):
        variants['amp'] = dict(
            base_options, optim_wrapper=dict(type='AmpOptimWrapper'))
    runners = {}
    for suffix, options in variants.items():
        name = f'bench_{tag}_{suffix or "base"}'.replace('-', '_')
        cfg = benchmark_config(config, osp.join(ctx.work_dir, name), name,
                               options)
        runners[suffix] = Runner.from_cfg(cfg)
    return runners


def _label(prefix: str, suffix: str) -> str:
    return f'{prefix} + {suffix}' if suffix else prefix


def prenet_train(
        ctx: BenchContext,
        config: str = PRENET_CONFIG) -> Tuple[List[dict], List[dict]]:
    """Time the PReNet step four ways side by side (see module doc).

    Returns:
        tuple[list[dict], list[dict]]: Figures and targets.
    """
    batch_size, patch = train_sizes(ctx)
    runners = _variant_runners(ctx, config, 'prenet',
                               _runner_options(ctx, {}))
    batch = synthetic_batch(batch_size, patch)

    def measure(loops) -> Dict[str, List[float]]:
        steps = {}
        for suffix, loop in zip(runners, loops):
            steps[_label('mmengine Runner iteration', suffix)] = (
                lambda loop=loop: loop.run_iter(batch))
        model = unwrap(loops[0].runner.model)
        inputs, targets = preprocessed(model, batch, ctx.device)
        generator = model.generator
        steps['plain PyTorch loop'] = plain_step(
            copy.deepcopy(generator), copy.deepcopy(model.pixel_loss),
            inputs, targets)
        original = OriginalPReNet(generator.num_stages)
        # Same weights: the original layout converts to ours, so load ours
        # into it through the converter's inverse (same tensors, split).
        _load_from_prenet(original, generator)
        steps["original PReNet code's network"] = plain_step(
            original.to(ctx.device), copy.deepcopy(model.pixel_loss), inputs,
            targets)
        return interleave(steps, ctx.rounds, warmup=1, device=ctx.device)

    times = with_prepared_runners(list(runners.values()), measure)
    source = config
    figures = [
        make_figure('train', f'PReNet step: {name}', median(values),
                    's/iter', device=ctx.device, threads=ctx.threads,
                    batch=batch_size, patch=f'{patch}x{patch}', source=source,
                    note=f'median of {len(values)}, interleaved, '
                    f'{clock_label(ctx.device)}')
        for name, values in times.items()
    ]
    runner_time = median(times['mmengine Runner iteration'])
    plain = median(times['plain PyTorch loop'])
    original = median(times["original PReNet code's network"])
    detail = (f'PReNet b{batch_size} p{patch}, median of {ctx.rounds} '
              'interleaved steps')
    targets = [
        make_target('PReNet mmengine step / plain PyTorch step',
                    runner_time / plain, 1.05, device=ctx.device,
                    detail=detail),
        make_target("PReNet mmengine step / original code's step",
                    runner_time / original, 1.0, device=ctx.device,
                    detail=detail),
    ]
    for suffix in runners:
        if suffix:
            ratio = median(times[_label('mmengine Runner iteration',
                                        suffix)]) / runner_time
            figures.append(
                make_figure('train', f'PReNet step with {suffix} / without',
                            ratio, 'x', device=ctx.device,
                            threads=ctx.threads, batch=batch_size,
                            patch=f'{patch}x{patch}', source=source,
                            note='< 1 is faster'))
    return figures, targets


def _load_from_prenet(original: torch.nn.Module,
                      prenet: torch.nn.Module) -> None:
    """Give ``original`` the weights of ``prenet`` (LSTM PReNet): the
    inverse of :func:`convert_original_state_dict`."""
    ours = prenet.state_dict()
    theirs = {}
    for param in ('weight', 'bias'):
        theirs[f'conv0.0.{param}'] = ours[f'conv_in.{param}']
        theirs[f'conv.0.{param}'] = ours[f'conv_out.{param}']
        for block in range(5):
            for index, conv in (('0', 'conv1'), ('2', 'conv2')):
                theirs[f'res_conv{block + 1}.{index}.{param}'] = ours[
                    f'res_blocks.{block}.{conv}.{param}']
        gates = ours[f'recurrent.gates.{param}'].chunk(4)
        for gate, value in zip('ifgo', gates):
            theirs[f'conv_{gate}.0.{param}'] = value
    original.load_state_dict(theirs)


def aglf_vit_train(
        ctx: BenchContext,
        config: str = AGLF_VIT_CONFIG) -> Tuple[List[dict], List[dict]]:
    """Time the AGLF-ViT (V2 demo) step through the mmengine Runner."""
    batch_size, patch = train_sizes(ctx)
    options = {}
    if ctx.quick:
        options = {'model.generator.encoder.num_blocks': 1}
    runners = _variant_runners(ctx, config, 'aglf_vit', options)
    batch = synthetic_batch(batch_size, patch)

    def measure(loops) -> Dict[str, List[float]]:
        steps = {
            _label('mmengine Runner iteration', suffix):
            (lambda loop=loop: loop.run_iter(batch))
            for suffix, loop in zip(runners, loops)
        }
        return interleave(steps, ctx.rounds, warmup=1, device=ctx.device)

    times = with_prepared_runners(list(runners.values()), measure)
    source = config
    return [
        make_figure('train', f'AGLF-ViT step: {name}', median(values),
                    's/iter', device=ctx.device, threads=ctx.threads,
                    batch=batch_size, patch=f'{patch}x{patch}', source=source,
                    note=f'median of {len(values)}, interleaved, '
                    f'{clock_label(ctx.device)}')
        for name, values in times.items()
    ], []


def train_suite(ctx: BenchContext) -> Tuple[List[dict], List[dict]]:
    """PReNet and AGLF-ViT training steps."""
    figures, targets = prenet_train(ctx)
    more, _ = aglf_vit_train(ctx)
    return figures + more, targets
