"""The tables of Neural Reorganization's Tables 1-3 for several runs'
sequence matrices: Markdown and CSV with heatmaps.

The columns are data-driven: the metrics and sets come from the runs'
matrices, and any per-run quantity (train time, extra memory, ...) is a
column when it is given (``times``, ``info``). Training the runs and
reading their work directories is :mod:`mmderain.experiments.nr_compare`.
"""
import csv
import math
import os
import os.path as osp
import re
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .sequence_matrix import SequenceMatrix

TRAIN_TIME = 'train time'

# A column: (header, metric or None, signed). Metric columns are formatted
# by the metric's precision; the others are written as they are.
Column = Tuple[str, Optional[str], bool]


def _fmt(value: Any, metric: Optional[str], signed: bool = False) -> str:
    if value is None:
        return 'n/a'
    if metric is None:
        if isinstance(value, float):
            return f'{value:.4g}'
        return str(value)
    digits = 2 if 'PSNR' in metric else 4
    return f'{value:+.{digits}f}' if signed else f'{value:.{digits}f}'


def _check_comparable(results: Dict[str, SequenceMatrix]) -> List[str]:
    """Check that the runs share task sets and metrics; return the union
    of their held-out sets, in first-seen order."""
    if not results:
        raise ValueError('The comparison needs at least one result.')
    first = next(iter(results.values()))
    extra: List[str] = []
    for label, matrix in results.items():
        if (matrix.task_sets, matrix.metrics) != (first.task_sets,
                                                  first.metrics):
            raise ValueError(
                f'Run {label!r} was evaluated on the task sets '
                f'{matrix.task_sets} with {matrix.metrics}, unlike '
                f'{first.task_sets} with {first.metrics}.')
        extra += [s for s in matrix.extra_sets if s not in extra]
    return extra


def summary_table(
    results: Dict[str, SequenceMatrix],
    info: Optional[Dict[str, Dict[str, Any]]] = None
) -> Tuple[List[Column], List[list]]:
    """The summary of several runs (NR paper, Table 1's right part).

    Per run: the number of finished tasks, the average over the task test
    sets after the last task, backward transfer (BWT, negative =
    forgetting), forgetting (best earlier value minus final, averaged over
    earlier tasks), the final values on the held-out (generalization) sets,
    then one column per key of ``info``.

    Args:
        results (dict[str, SequenceMatrix]): Run label to its matrix. The
            runs must share task sets and metrics; held-out sets may differ
            (a run without a set has None there).
        info (dict[str, dict], optional): Run label to extra columns
            (column name to value). Columns appear in first-seen order; a
            run without a value has None.

    Returns:
        tuple: The columns and one row of raw values per run.
    """
    extra = _check_comparable(results)
    metrics = next(iter(results.values())).metrics
    info = info or {}
    info_keys: List[str] = []
    for values in info.values():
        info_keys += [k for k in values if k not in info_keys]

    columns: List[Column] = [('Method', None, False), ('tasks', None, False)]
    columns += [(f'avg {m}', m, False) for m in metrics]
    columns += [(f'BWT {m}', m, True) for m in metrics]
    columns += [(f'forgetting {m}', m, True) for m in metrics]
    columns += [(f'{s} {m}', m, False) for s in extra for m in metrics]
    columns += [(k, None, False) for k in info_keys]
    rows = []
    for label, matrix in results.items():
        summary = matrix.summary()
        row = [label, len(matrix.rows)]
        row += [summary[m]['average'] for m in metrics]
        row += [summary[m]['backward_transfer'] for m in metrics]
        row += [summary[m]['forgetting'] for m in metrics]
        row += [
            summary[m]['generalization'].get(s) for s in extra
            for m in metrics
        ]
        row += [info.get(label, {}).get(k) for k in info_keys]
        rows.append(row)
    return columns, rows


def final_table(
        results: Dict[str, SequenceMatrix]
) -> Tuple[List[Column], List[list]]:
    """The final value of every run on every set (NR paper, Table 1's
    layout): task sets first, then the held-out sets.

    Returns:
        tuple: The columns and one row of raw values per run.
    """
    extra = _check_comparable(results)
    first = next(iter(results.values()))
    sets = first.task_sets + extra
    columns: List[Column] = [('Method', None, False)]
    columns += [(f'{s} {m}', m, False) for s in sets for m in first.metrics]
    rows = []
    for label, matrix in results.items():
        final = {m: matrix.final_row(m) for m in matrix.metrics}
        rows.append([label] +
                    [final[m].get(s) for s in sets for m in matrix.metrics])
    return columns, rows


def to_markdown(columns: Sequence[Column], rows: Sequence[list]) -> str:
    """A Markdown table; metric values at the metric's precision."""
    lines = [
        '| ' + ' | '.join(c[0] for c in columns) + ' |',
        '|' + '---|' * len(columns),
    ]
    for row in rows:
        lines.append('| ' + ' | '.join(
            _fmt(v, metric, signed)
            for v, (_, metric, signed) in zip(row, columns)) + ' |')
    return '\n'.join(lines)


def save_csv(path: str, columns: Sequence[Column],
             rows: Sequence[list]) -> None:
    """A CSV table of the raw values (full precision; empty = none)."""
    with open(path, 'w', newline='', encoding='utf-8') as f:
        writer = csv.writer(f)
        writer.writerow([c[0] for c in columns])
        for row in rows:
            writer.writerow(['' if v is None else v for v in row])


def comparison_table(results: Dict[str, SequenceMatrix],
                     times: Optional[Dict[str, float]] = None,
                     notes: Sequence[str] = (),
                     info: Optional[Dict[str, Dict[str, Any]]] = None) -> str:
    """Markdown tables of several runs on the same sets: the summary
    (:func:`summary_table`) and the final values (:func:`final_table`).

    Args:
        results (dict[str, SequenceMatrix]): Run label to its matrix.
        times (dict[str, float], optional): Run label to wall time in
            seconds, shown as the ``train time`` column when given.
        notes (Sequence[str]): Lines written under the tables, e.g. which
            optional sets were not evaluated. Defaults to ().
        info (dict[str, dict], optional): Run label to further columns.

    Returns:
        str: The markdown text.
    """
    info = _merge_times(results, times, info)
    text = to_markdown(*summary_table(results, info))
    text += '\n\n' + to_markdown(*final_table(results))
    if notes:
        text += '\n\n' + '\n'.join(f'Note: {note}' for note in notes)
    return text + '\n'


def _merge_times(
        results: Dict[str, SequenceMatrix], times: Optional[Dict[str, float]],
        info: Optional[Dict[str, Dict[str, Any]]]) -> Dict[str, dict]:
    """Put the train time first among the extra columns, as minutes."""
    merged: Dict[str, dict] = {}
    for label in results:
        values = {}
        if times:
            seconds = times.get(label)
            values[TRAIN_TIME] = (None if seconds is None else
                                  f'{seconds / 60:.1f} min')
        values.update((info or {}).get(label, {}))
        merged[label] = values
    return merged


def save_final_heatmap(results: Dict[str, SequenceMatrix],
                       path: str) -> None:
    """One heatmap per metric of the final values (rows: runs, columns:
    sets; a set a run lacks is blank). Colours are scaled per set column,
    so that each column shows which run is best on that set."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    import numpy as np

    extra = _check_comparable(results)
    first = next(iter(results.values()))
    sets = first.task_sets + extra
    labels = list(results)
    fig, axes = plt.subplots(
        1,
        len(first.metrics),
        figsize=(1.2 * len(sets) * len(first.metrics) + 2,
                 0.5 * len(labels) + 2.4),
        squeeze=False)
    for ax, metric in zip(axes[0], first.metrics):
        grid = np.array([[
            results[label].final_row(metric).get(s, math.nan) for s in sets
        ] for label in labels],
                        dtype=float)
        low, high = np.nanmin(grid, axis=0), np.nanmax(grid, axis=0)
        span = np.where(high > low, high - low, 1.0)
        ax.imshow(
            np.ma.masked_invalid((grid - low) / span),
            cmap='viridis',
            aspect='auto',
            vmin=0,
            vmax=1)
        ax.set_xticks(range(len(sets)))
        ax.set_xticklabels(sets, rotation=30, ha='right')
        ax.set_yticks(range(len(labels)))
        ax.set_yticklabels(labels)
        ax.set_title(f'{metric} after the last task (per-set colour scale)')
        if extra:
            ax.axvline(len(first.task_sets) - 0.5, color='white', lw=2)
        for r in range(len(labels)):
            for c in range(len(sets)):
                if math.isfinite(grid[r, c]):
                    ax.text(
                        c,
                        r,
                        _fmt(grid[r, c], metric),
                        ha='center',
                        va='center',
                        color='black' if
                        (grid[r, c] - low[c]) / span[c] > 0.5 else 'white',
                        fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_report(results: Dict[str, SequenceMatrix],
                 out_dir: str,
                 times: Optional[Dict[str, float]] = None,
                 notes: Sequence[str] = (),
                 info: Optional[Dict[str, Dict[str, Any]]] = None
                 ) -> Dict[str, str]:
    """Write the comparison of several runs into ``out_dir``.

    Files: ``comparison.md`` (both tables and the notes),
    ``comparison_summary.csv`` and ``comparison_final.csv`` (raw values),
    ``comparison_final.png`` (final values as heatmaps) and, per run,
    ``matrix_<slug>.{csv,png}`` (its after-task-i-on-set-j matrix).

    Returns:
        dict[str, str]: File kind to path (``'markdown'``,
        ``'summary_csv'``, ``'final_csv'``, ``'final_png'``, and
        ``'matrix_<slug>_csv'`` / ``'matrix_<slug>_png'`` per run).
    """
    os.makedirs(out_dir, exist_ok=True)
    merged = _merge_times(results, times, info)
    paths = dict(
        markdown=osp.join(out_dir, 'comparison.md'),
        summary_csv=osp.join(out_dir, 'comparison_summary.csv'),
        final_csv=osp.join(out_dir, 'comparison_final.csv'),
        final_png=osp.join(out_dir, 'comparison_final.png'))
    with open(paths['markdown'], 'w', encoding='utf-8') as f:
        f.write(comparison_table(results, times, notes, info))
    save_csv(paths['summary_csv'], *summary_table(results, merged))
    save_csv(paths['final_csv'], *final_table(results))
    save_final_heatmap(results, paths['final_png'])
    for label, matrix in results.items():
        slug = run_slug(label)
        for ext, save in (('csv', matrix.save_csv),
                          ('png', matrix.save_heatmap)):
            path = osp.join(out_dir, f'matrix_{slug}.{ext}')
            save(path)
            paths[f'matrix_{slug}_{ext}'] = path
    return paths


def run_slug(label: str) -> str:
    """A run label as a file-name-safe slug (``'NR (free-rank)'`` ->
    ``'nr-free-rank'``)."""
    slug = re.sub(r'[^a-z0-9]+', '-', label.lower()).strip('-')
    if not slug:
        raise ValueError(f'Run label {label!r} has no letters or digits.')
    return slug
