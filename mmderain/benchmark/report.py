"""Figures, targets and their Markdown / JSON output."""
import json
import platform
from typing import Dict, List, Optional, Sequence

import torch


def make_figure(suite: str,
                name: str,
                value: Optional[float],
                unit: str,
                *,
                device: str,
                threads: int,
                source: str,
                batch: Optional[int] = None,
                patch: Optional[str] = None,
                note: str = '') -> dict:
    """One measured number with what produced it.

    Args:
        suite (str): Sub-benchmark (``train``, ``nr``, ...).
        name (str): What was measured.
        value (float | None): The number (None: not measurable here).
        unit (str): Its unit, e.g. ``'s/iter'``.
        device (str): ``'cpu'`` or ``'cuda'``.
        threads (int): Torch's intra-op thread count.
        source (str): The config or code path measured.
        batch (int, optional): Batch size.
        patch (str, optional): Patch or image size, e.g. ``'64x64'``.
        note (str): Anything the number depends on.

    Returns:
        dict: The figure.
    """
    return dict(suite=suite, name=name, value=value, unit=unit,
                device=device, threads=threads, batch=batch, patch=patch,
                source=source, note=note)


def make_target(name: str, value: Optional[float], limit: float, *,
                device: str, detail: str, unit: str = 'x') -> dict:
    """A speed or memory target: ``value <= limit``.

    Returns:
        dict: The target with ``passed`` (None when ``value`` is None).
    """
    return dict(name=name, value=value, limit=limit, unit=unit,
                device=device, detail=detail,
                passed=None if value is None else bool(value <= limit))


def _cell(value) -> str:
    if value is None:
        return '-'
    if isinstance(value, float):
        return f'{value:.4g}'
    return str(value)


def format_figures(figures: Sequence[dict]) -> str:
    """Markdown table of ``figures``."""
    columns = ('suite', 'name', 'value', 'unit', 'device', 'batch', 'patch',
               'threads', 'source', 'note')
    lines = ['| ' + ' | '.join(columns) + ' |',
             '|' + '---|' * len(columns)]
    for fig in figures:
        lines.append('| ' + ' | '.join(
            _cell(fig.get(c)).replace('|', '/') for c in columns) + ' |')
    return '\n'.join(lines)


def format_targets(targets: Sequence[dict]) -> str:
    """Markdown table of ``targets`` with a pass/miss column."""
    lines = ['| target | measured | limit | device | result | how |',
             '|---|---|---|---|---|---|']
    for tgt in targets:
        result = {True: 'met', False: 'MISSED', None: 'not measured'}[
            tgt['passed']]
        value = _cell(tgt['value'])
        lines.append(f"| {tgt['name']} | {value} {tgt['unit']} | "
                     f"{tgt['limit']} {tgt['unit']} | {tgt['device']} | "
                     f"{result} | {tgt['detail']} |")
    return '\n'.join(lines)


def environment() -> Dict[str, object]:
    """Versions and hardware the numbers were measured on."""
    info = dict(python=platform.python_version(), torch=torch.__version__,
                threads=torch.get_num_threads(),
                cpu=platform.processor() or platform.machine(),
                cuda=torch.cuda.is_available())
    if torch.cuda.is_available():
        info['gpu'] = torch.cuda.get_device_name(0)
    return info


def write_json(path: str, command: str, figures: List[dict],
               targets: List[dict]) -> None:
    """Write the run's command, environment, figures and targets."""
    with open(path, 'w') as file:
        json.dump(dict(command=command, environment=environment(),
                       figures=figures, targets=targets), file, indent=2)
