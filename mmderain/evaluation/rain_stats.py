"""What rain looks like: statistics of rain layers, pairs against rendered.

The rain layer of a pair is ``rainy - clean`` (float, in units of the full
intensity range). Its statistics describe the look a renderer must match for
a model trained on rendered rain to transfer to the rain of given pairs
(public synthetic benchmarks such as RainTrainL / RainTrainH, or real pairs
made from a static camera's video):

- ``veil``: median of the layer, the part every pixel gets (haze, a global
  brightening); the streak statistics below are taken after removing it.
- ``density``: fraction of pixels brighter than the veil by more than
  ``threshold`` (streak pixels).
- ``intensity`` / ``intensity_p90``: mean and 90th percentile of what
  rain adds on streak pixels.
- ``veil_slope``: slope of the layer's median against the clean
  brightness, over backgrounds darker than 0.6 (where neither the rain nor
  the veil is clipped at white). About 0 when rain adds the same light
  whatever the background (streaks and an additive lift); ``-alpha`` for
  a veil blended over the image, ``alpha * A + (1 - alpha) * B`` (the
  rain-accumulation model of Yang et al., CVPR 2017, Eq. 3), which lifts
  dark background and darkens bright background towards ``A``.
- ``darkening``: fraction of pixels darker than the veil by more than
  ``threshold`` (rain that occludes bright background, or misalignment).
- ``bg_corr``: correlation of what rain adds with the clean brightness on
  streak pixels. Additive rain that is clipped only at white gives about 0;
  screen blending (``1 - (1 - clean)(1 - rain)``) adds less on bright
  background and gives a clearly negative value.
- ``angle``: dominant streak direction in degrees from vertical, positive
  when the top leans right (the renderer's convention), from the structure
  tensor of the layer; ``angle_spread``: circular spread of the local
  directions (0 for one direction).
- ``length`` / ``width``: full widths at half maximum of the layer's
  autocorrelation along and across the dominant direction, in pixels. A
  streak's autocorrelation is about sqrt(2) times longer and wider than the
  streak itself, the same for any rain layer, so pairs and renders compare.
- ``sharpness``: mean absolute Laplacian over mean absolute layer on streak
  pixels; lower means a more blurred (out-of-focus) rain layer.
- ``chroma``: colour of the rain, the spread of its per-channel means over
  their mean on streak pixels (0 for grey rain).
"""
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import cv2
import numpy as np

#: Statistic names in the order tables print them.
STAT_NAMES: Tuple[str, ...] = ('veil', 'veil_slope', 'density',
                               'intensity', 'intensity_p90', 'darkening',
                               'bg_corr', 'angle', 'angle_spread', 'length',
                               'width', 'sharpness', 'chroma')


def rain_layer(rainy: np.ndarray, clean: np.ndarray) -> np.ndarray:
    """``rainy - clean`` as float32 in units of the full range.

    Args:
        rainy (np.ndarray): Rainy image, uint8 or float in [0, 1].
        clean (np.ndarray): Clean image of the same shape and kind.

    Returns:
        np.ndarray: The rain layer, float32, same shape.
    """
    if rainy.shape != clean.shape:
        raise ValueError(f'rain_layer: the rainy image is {rainy.shape} and '
                         f'the clean image {clean.shape}; they must match.')
    scale = 255.0 if rainy.dtype == np.uint8 else 1.0
    return (rainy.astype(np.float32) - clean.astype(np.float32)) / scale


def _to_gray(image: np.ndarray) -> np.ndarray:
    return image.mean(axis=2) if image.ndim == 3 else image


def _half_max_width(profile_fn: Callable[[np.ndarray], np.ndarray],
                    limit: float) -> float:
    """Twice the distance at which a profile starting at 1 falls below 1/2."""
    steps = np.arange(0.0, limit, 0.25, dtype=np.float32)
    values = profile_fn(steps)
    below = np.nonzero(values < 0.5)[0]
    if below.size == 0:
        return 2.0 * limit
    i = int(below[0])
    if i == 0:
        return 0.0
    # Linear interpolation between the last sample above and the first below.
    v0, v1 = values[i - 1], values[i]
    frac = (v0 - 0.5) / max(v0 - v1, 1e-12)
    return 2.0 * float(steps[i - 1] + 0.25 * frac)


def _veil_slope(gray: np.ndarray, bg: np.ndarray) -> float:
    """Slope of the layer's per-bin median against the background (bins of
    0.1 below 0.6 that hold at least 1% of the pixels; NaN under three)."""
    centres, medians = [], []
    for low in np.arange(0.0, 0.6, 0.1):
        in_bin = (bg >= low) & (bg < low + 0.1)
        if in_bin.mean() >= 0.01:
            centres.append(float(bg[in_bin].mean()))
            medians.append(float(np.median(gray[in_bin])))
    if len(centres) < 3:
        return float('nan')
    return float(np.polyfit(centres, medians, 1)[0])


def _autocorrelation(streak: np.ndarray) -> np.ndarray:
    """Normalized, centred autocorrelation (peak 1 at the centre)."""
    centred = streak - streak.mean()
    spectrum = np.fft.rfft2(centred)
    corr = np.fft.irfft2(np.abs(spectrum)**2, s=centred.shape)
    corr = np.fft.fftshift(corr).astype(np.float32)
    peak = corr[corr.shape[0] // 2, corr.shape[1] // 2]
    return corr / peak if peak > 0 else corr


def layer_statistics(layer: np.ndarray,
                     clean: Optional[np.ndarray] = None,
                     threshold: float = 8 / 255) -> Dict[str, float]:
    """Statistics of one rain layer (see the module docstring).

    Args:
        layer (np.ndarray): ``(H, W)`` or ``(H, W, C)`` rain layer from
            :func:`rain_layer`.
        clean (np.ndarray, optional): The clean image (uint8 or [0, 1]) for
            ``veil_slope`` and ``bg_corr``; NaN without it.
        threshold (float): How much brighter than the veil a streak pixel
            is. Defaults to 8/255.

    Returns:
        dict[str, float]: One value per name in :data:`STAT_NAMES`.
    """
    gray = _to_gray(layer).astype(np.float32)
    veil = float(np.median(gray))
    streak = gray - veil
    mask = streak > threshold
    stats = dict.fromkeys(STAT_NAMES, float('nan'))
    stats.update(
        veil=veil,
        density=float(mask.mean()),
        darkening=float((streak < -threshold).mean()))
    if clean is not None:
        bg = _to_gray(clean.astype(np.float32))
        bg = bg / 255.0 if clean.dtype == np.uint8 else bg
        stats['veil_slope'] = _veil_slope(gray, bg)
    if mask.sum() < 16:
        return stats
    added = streak[mask]
    stats.update(
        intensity=float(added.mean()),
        intensity_p90=float(np.percentile(added, 90)))
    if clean is not None:
        if np.std(bg[mask]) > 1e-6:
            stats['bg_corr'] = float(np.corrcoef(added, bg[mask])[0, 1])
    if layer.ndim == 3 and layer.shape[2] > 1:
        channels = (layer - veil)[mask].mean(axis=0)
        stats['chroma'] = float(channels.std() / max(channels.mean(), 1e-6))

    # Local directions from the structure tensor (gradients are
    # perpendicular to streaks, so the gradient angle from the x axis is the
    # streak angle from the vertical in the renderer's convention).
    gx = cv2.Sobel(streak, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(streak, cv2.CV_32F, 0, 1, ksize=3)
    local = [
        cv2.GaussianBlur(j, (0, 0), 3.0) for j in (gx * gx, gy * gy, gx * gy)
    ]
    local_angle = 0.5 * np.arctan2(2 * local[2], local[0] - local[1])
    weight = np.sqrt((local[0] - local[1])**2 + 4 * local[2]**2)[mask]
    resultant = np.abs(
        np.sum(weight * np.exp(2j * local_angle[mask])) /
        max(weight.sum(), 1e-12))
    stats['angle_spread'] = float(
        np.degrees(0.5 * np.sqrt(-2.0 * np.log(max(resultant, 1e-12)))))

    # Softened so that a one-pixel ridge (a thin streak at an angle) is not
    # lost between the integer lags that bilinear sampling mixes.
    corr = cv2.GaussianBlur(_autocorrelation(streak), (0, 0), 1.0)
    corr /= corr[corr.shape[0] // 2, corr.shape[1] // 2]
    cy, cx = corr.shape[0] // 2, corr.shape[1] // 2

    def sample(dist: np.ndarray, angle: np.ndarray) -> np.ndarray:
        """The autocorrelation at ``dist`` pixels along ``angle``."""
        xs = (cx - dist * np.sin(angle)).reshape(1, -1).astype(np.float32)
        ys = (cy + dist * np.cos(angle)).reshape(1, -1).astype(np.float32)
        return cv2.remap(corr, xs, ys, cv2.INTER_LINEAR)[0]

    # The dominant direction is where the autocorrelation stays high: the
    # structure tensor of thin, aliased streaks is biased towards the axes,
    # and a few degrees off would cut the measured length of a long, thin
    # streak short.
    radius = float(min(8, cy, cx))
    candidates = np.radians(np.arange(-90.0, 90.0, 0.5, dtype=np.float32))
    angle = float(candidates[np.argmax(
        sample(np.full_like(candidates, radius), candidates))])
    stats['angle'] = float(np.degrees(angle))
    limit = float(min(cy, cx))
    stats['length'] = _half_max_width(
        lambda dist: sample(dist, np.full_like(dist, angle)), limit)
    stats['width'] = _half_max_width(
        lambda dist: sample(dist, np.full_like(dist, angle + np.pi / 2)),
        limit)
    lap = np.abs(cv2.Laplacian(streak, cv2.CV_32F, ksize=3))
    stats['sharpness'] = float(lap[mask].mean() / np.abs(added).mean())
    return stats


def summarize(rows: Iterable[Dict[str, float]]) -> Dict[str, Tuple[float,
                                                                   float]]:
    """Mean and standard deviation of each statistic over images (NaNs,
    i.e. images without streak pixels, left out)."""
    rows = list(rows)
    summary = {}
    for name in STAT_NAMES:
        values = np.array([row[name] for row in rows], np.float64)
        values = values[np.isfinite(values)]
        summary[name] = ((float(values.mean()),
                          float(values.std())) if values.size else
                         (float('nan'), float('nan')))
    return summary


def format_table(summaries: Dict[str, Dict[str, Tuple[float, float]]],
                 counts: Optional[Dict[str, int]] = None,
                 reference: Optional[str] = None) -> str:
    """A Markdown table: one column per source, ``mean ± std`` cells.

    Args:
        summaries (dict): Source name -> :func:`summarize` output.
        counts (dict, optional): Source name -> number of images.
        reference (str, optional): A source name; a cell of another source
            whose mean lies further from the reference's mean than the
            reference's spread (its std over images), or is NaN where the
            reference's is not, is marked ``*``, and a last line says so.
            Defaults to None (no marks).

    Returns:
        str: The table.
    """
    names = list(summaries)
    if reference is not None and reference not in summaries:
        raise ValueError(f'format_table: reference "{reference}" is not one '
                         f'of the sources {names}.')
    header = [
        f'{name} ({counts[name]})' if counts and name in counts else name
        for name in names
    ]
    lines = [
        '| statistic | ' + ' | '.join(header) + ' |',
        '|---' * (len(names) + 1) + '|',
    ]
    for stat in STAT_NAMES:
        cells = []
        for name in names:
            mean, std = summaries[name][stat]
            digits = 1 if stat in ('angle', 'angle_spread', 'length',
                                   'width') else 4
            cell = f'{mean:.{digits}f} ± {std:.{digits}f}'
            if reference is not None and name != reference:
                ref_mean, ref_std = summaries[reference][stat]
                # A NaN (not measurable) matches only a NaN.
                if np.isfinite(ref_mean) and not abs(mean -
                                                     ref_mean) <= ref_std:
                    cell += ' *'
            cells.append(cell)
        lines.append(f'| {stat} | ' + ' | '.join(cells) + ' |')
    if reference is not None:
        lines.append(f'\n`*`: the mean is outside {reference}\'s mean ± '
                     'std (its spread over images).')
    return '\n'.join(lines)


def layer_picture(rows: Sequence[Sequence[np.ndarray]],
                  gain: float = 3.0) -> np.ndarray:
    """A grid picture (uint8 RGB) of images and rain layers.

    Args:
        rows (Sequence[Sequence[np.ndarray]]): Rows of equally sized tiles;
            uint8 tiles are shown as they are, float tiles are rain layers,
            shown as ``0.5 + gain * layer`` (grey = no rain, bright = rain
            adds light, dark = rain removes light).
        gain (float): Contrast of the layers. Defaults to 3.

    Returns:
        np.ndarray: The picture, with 4-pixel white gaps.
    """
    tiles: List[List[np.ndarray]] = []
    for row in rows:
        out = []
        for tile in row:
            if tile.dtype != np.uint8:
                tile = np.clip((0.5 + gain * tile) * 255.0 + 0.5, 0, 255)
                tile = tile.astype(np.uint8)
            if tile.ndim == 2:
                tile = np.repeat(tile[..., None], 3, axis=2)
            out.append(tile)
        tiles.append(out)
    height, width = tiles[0][0].shape[:2]
    gap = 4
    num_cols = max(len(row) for row in tiles)
    canvas = np.full(
        (len(tiles) * (height + gap) - gap, num_cols * (width + gap) - gap, 3),
        255, np.uint8)
    for r, row in enumerate(tiles):
        for c, tile in enumerate(row):
            top, left = r * (height + gap), c * (width + gap)
            canvas[top:top + height, left:left + width] = tile
    return canvas


def compare_pairs_and_rendered(
    pairs: Sequence[Tuple[str, str]],
    presets: Sequence[str],
    seed: int = 0,
    num_picture: int = 4,
    tile: int = 160,
    threshold: float = 8 / 255,
    pairs_name: str = 'pairs'
) -> Tuple[Dict[str, Dict[str, Tuple[float, float]]], np.ndarray]:
    """Statistics of the rain of given pairs and of rain rendered over the
    same clean images.

    Args:
        pairs (Sequence[tuple[str, str]]): ``(rainy_path, clean_path)`` of
            the pairs to match (public or real).
        presets (Sequence[str]): Renderer presets (names or dicts) to render
            over each pair's clean image (rain of pair ``i`` seeded by
            ``(seed, i)``, so the comparison repeats).
        seed (int): Seed of the rendered rain. Defaults to 0.
        num_picture (int): Pairs shown in the picture (at least 1).
            Defaults to 4.
        tile (int): Side of the centre crop shown per image. Defaults to 160.
        threshold (float): See :func:`layer_statistics`.
        pairs_name (str): Name of the pairs' column, e.g. the data set's
            name. Defaults to ``'pairs'``.

    Returns:
        tuple: ``(summaries, picture)``: source name (``pairs_name`` and
        each preset) -> :func:`summarize` output, and a picture whose rows
        are pairs and whose columns are the pair's rainy image, its rain
        layer, then each preset's rainy image and rain layer.
    """
    from mmderain.datasets.transforms.random_state import deterministic_rng
    from mmderain.datasets.transforms.rain_renderer import render_rain

    if not pairs:
        raise ValueError('compare_pairs_and_rendered: no pairs given.')
    if num_picture < 1:
        raise ValueError('compare_pairs_and_rendered: num_picture must be '
                         f'at least 1, got {num_picture}.')
    names = [pairs_name] + [
        p if isinstance(p, str) else f'custom-{i + 1}'
        for i, p in enumerate(presets)
    ]
    if len(set(names)) != len(names):
        raise ValueError(f'compare_pairs_and_rendered: the columns {names} '
                         'must have distinct names (pairs_name and presets).')
    rows: Dict[str, List[Dict[str, float]]] = {name: [] for name in names}
    picture_rows = []
    for index, (rainy_path, clean_path) in enumerate(pairs):
        images = []
        for path in (rainy_path, clean_path):
            image = cv2.imread(path, cv2.IMREAD_COLOR)
            if image is None:
                raise OSError(f'compare_pairs_and_rendered: cannot read the '
                              f'image "{path}".')
            images.append(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
        rainy, clean = images
        renders = [rainy] + [
            render_rain(clean, preset, deterministic_rng(seed, index))
            for preset in presets
        ]
        layers = [rain_layer(render, clean) for render in renders]
        for name, layer in zip(names, layers):
            rows[name].append(layer_statistics(layer, clean, threshold))
        if index < num_picture:
            top = max((clean.shape[0] - tile) // 2, 0)
            left = max((clean.shape[1] - tile) // 2, 0)
            crop = (slice(top, top + tile), slice(left, left + tile))
            picture_rows.append([
                item[crop] for render, layer in zip(renders, layers)
                for item in (render, layer)
            ])
    summaries = {name: summarize(rows[name]) for name in names}
    return summaries, layer_picture(picture_rows)
