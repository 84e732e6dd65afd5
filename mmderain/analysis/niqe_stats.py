"""NIQE over folders of images, and their distributions side by side.

The TTL paper (Fig. 2) shows that rendered rain is not real rain by the
distributions of a no-reference quality score, NIQE (Mittal et al.,
"Making a 'Completely Blind' Image Quality Analyzer", 2013, Eq. 10: the
distance between a multivariate Gaussian fitted to the image's 96x96
blocks and one fitted to pristine photos; lower is more natural). This
module scores folders with mmagic's implementation (``niqe`` on the Y
channel, the official pristine parameters), summarizes each folder and
plots the folders' distributions on one axis.
"""
import csv
import os
import os.path as osp
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

import cv2
import numpy as np

from mmagic.evaluation.metrics.niqe import niqe
from mmderain.utils.images import list_images, read_image

NIQE_BLOCK = 96  # mmagic's (and the official) block size


def parse_folder(spec: str) -> Tuple[str, str]:
    """Read ``LABEL=PATH`` (or a bare ``PATH``, labelled by its name)."""
    label, sep, path = spec.partition('=')
    if not sep:
        path = spec
        label = osp.basename(osp.normpath(spec.split('*')[0])) or spec
    if not label or not path:
        raise ValueError(f'Expected LABEL=PATH or PATH, got {spec!r}.')
    return label, path


def image_niqe(img: np.ndarray,
               max_side: Optional[int] = None,
               crop_border: int = 0) -> float:
    """NIQE of one uint8 BGR image (Y channel).

    Args:
        img (np.ndarray): (H, W, 3) uint8 BGR image.
        max_side (int, optional): First shrink the image (area averaging)
            so that its longer side is at most this. NIQE depends on scale:
            compare folders at the same setting. Default: None.
        crop_border (int): Pixels left out at each border. Default: 0.

    Returns:
        float: The score.

    Raises:
        ValueError: The image (after shrinking and cropping) holds fewer
            than two 96x96 blocks, too few to fit NIQE's Gaussian.
    """
    if max_side is not None and max(img.shape[:2]) > max_side:
        scale = max_side / max(img.shape[:2])
        size = (max(1, round(img.shape[1] * scale)),
                max(1, round(img.shape[0] * scale)))
        img = cv2.resize(img, size, interpolation=cv2.INTER_AREA)
    height, width = (s - 2 * crop_border for s in img.shape[:2])
    if (height // NIQE_BLOCK) * (width // NIQE_BLOCK) < 2:
        raise ValueError(
            f'{width}x{height} pixels hold fewer than two {NIQE_BLOCK}x'
            f'{NIQE_BLOCK} blocks; NIQE needs at least two.')
    return float(niqe(img, crop_border, input_order='HWC', convert_to='y'))


def folder_niqe(
        paths: Sequence[str],
        max_side: Optional[int] = None,
        crop_border: int = 0) -> Tuple[Dict[str, float], Dict[str, str]]:
    """NIQE of every image file.

    Returns:
        tuple[dict, dict]: path -> score, and path -> why it was skipped
        (unreadable or too small), so that nothing is dropped silently.
    """
    scores, skipped = {}, {}
    for path in paths:
        try:
            scores[path] = image_niqe(read_image(path), max_side, crop_border)
        except (OSError, ValueError) as error:
            skipped[path] = str(error)
    return scores, skipped


def summarize(groups: Mapping[str, Sequence[float]]) -> List[dict]:
    """Count, mean, standard deviation and median of each group."""
    rows = []
    for label, values in groups.items():
        values = np.asarray(list(values), np.float64)
        rows.append(
            dict(label=label,
                 count=int(values.size),
                 mean=float(values.mean()) if values.size else float('nan'),
                 std=float(values.std()) if values.size else float('nan'),
                 median=float(np.median(values))
                 if values.size else float('nan')))
    return rows


def format_summary(rows: Sequence[dict]) -> str:
    """A Markdown table of :func:`summarize`'s rows."""
    lines = [
        '| Folder | Images | NIQE mean | NIQE std | NIQE median |',
        '|---|---|---|---|---|',
    ]
    for row in rows:
        lines.append(f"| {row['label']} | {row['count']} | {row['mean']:.3f} "
                     f"| {row['std']:.3f} | {row['median']:.3f} |")
    return '\n'.join(lines)


def write_scores_csv(scores: Mapping[str, Mapping[str, float]],
                     path: str) -> None:
    """Write ``label, file, niqe`` rows, one per image."""
    with open(path, 'w', newline='') as file:
        writer = csv.writer(file)
        writer.writerow(['folder', 'file', 'niqe'])
        for label, values in scores.items():
            for image, value in values.items():
                writer.writerow([label, image, f'{value:.6f}'])


def plot_distributions(groups: Mapping[str, Sequence[float]],
                       out_file: str,
                       bins: int = 30,
                       log_x: bool = False,
                       title: str = 'NIQE distributions') -> None:
    """Plot each group's NIQE histogram and kernel density on one axis.

    As the TTL paper's Fig. 2: densities (not counts), so that folders of
    different sizes compare; the legend gives each folder's mean.

    Args:
        groups (Mapping[str, Sequence[float]]): Label -> scores.
        out_file (str): The PNG to write.
        bins (int): Histogram bins over the common range. Default: 30.
        log_x (bool): Logarithmic NIQE axis, densities per decade; for
            groups of very different spread (heavy rendered rain scores
            tens, clean photos about 3). Default: False.
        title (str): Figure title.
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from scipy.stats import gaussian_kde

    values = [np.asarray(list(v), np.float64) for v in groups.values()]
    if log_x:
        # NIQE is positive for any image with structure; clip the rest.
        values = [np.log10(np.maximum(v, 1e-3)) for v in values]
    present = np.concatenate([v for v in values if v.size] or [np.zeros(1)])
    low, high = present.min(), present.max()
    pad = 0.05 * (high - low) or 0.5
    edges = np.linspace(low - pad, high + pad, bins + 1)
    grid = np.linspace(edges[0], edges[-1], 400)
    shown = (lambda x: 10**x) if log_x else (lambda x: x)
    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=150)
    for index, (label, data) in enumerate(zip(groups, values)):
        if not data.size:
            continue
        color = f'C{index}'
        mean = float(np.mean(shown(data)))
        ax.hist(shown(data),
                bins=shown(edges),
                weights=np.full(data.size,
                                1 / (data.size * (edges[1] - edges[0]))),
                alpha=0.3,
                color=color,
                label=f'{label} (n={data.size}, mean {mean:.2f})')
        # A KDE needs spread; a single value or identical values have none.
        if data.size > 1 and data.std() > 0:
            ax.plot(shown(grid), gaussian_kde(data)(grid), color=color, lw=1.5)
    if log_x:
        ax.set_xscale('log')
    ax.set_xlabel('NIQE (lower is more natural)' +
                  (', log scale' if log_x else ''))
    ax.set_ylabel('density per decade' if log_x else 'density')
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out_file)
    plt.close(fig)


def niqe_report(folders: Sequence[Tuple[str, str]],
                out_dir: str,
                max_side: Optional[int] = None,
                crop_border: int = 0,
                bins: int = 30,
                log_x: bool = False) -> Tuple[List[dict], Dict[str, str]]:
    """Score folders, write the plot, per-image CSV and summary table.

    Args:
        folders (Sequence[tuple]): ``(label, folder or glob)`` pairs
            (see :func:`parse_folder`).
        out_dir (str): Gets ``niqe_distributions.png``,
            ``niqe_per_image.csv`` and ``niqe_summary.md``.
        max_side (int, optional): See :func:`image_niqe`.
        crop_border (int): See :func:`image_niqe`.
        bins (int): See :func:`plot_distributions`.
        log_x (bool): See :func:`plot_distributions`.

    Returns:
        tuple[list[dict], dict]: :func:`summarize`'s rows, and the skipped
        images with the reason.
    """
    labels = [label for label, _ in folders]
    if len(set(labels)) != len(labels):
        raise ValueError(f'Folder labels must differ, got {labels}.')
    scores, skipped = {}, {}
    for label, folder in folders:
        scores[label], missed = folder_niqe(list_images(folder), max_side,
                                            crop_border)
        skipped.update(missed)
    os.makedirs(out_dir, exist_ok=True)
    groups = {label: list(values.values()) for label, values in scores.items()}
    rows = summarize(groups)
    plot_distributions(groups,
                       osp.join(out_dir, 'niqe_distributions.png'),
                       bins=bins,
                       log_x=log_x)
    write_scores_csv(scores, osp.join(out_dir, 'niqe_per_image.csv'))
    setting = f'longer side shrunk to at most {max_side} px' \
        if max_side else 'full resolution'
    with open(osp.join(out_dir, 'niqe_summary.md'), 'w') as file:
        file.write(f'NIQE (mmagic, Y channel, {setting}, crop border '
                   f'{crop_border}).\n\n{format_summary(rows)}\n')
    return rows, skipped
