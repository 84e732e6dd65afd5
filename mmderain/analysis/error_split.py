"""Where a de-rained image's error lies: the pixels the rain changed
against the rest.

PSNR mixes two things a de-raining model does: what it removes where the
rain is, and what it changes where there is none. On sparse real rain the
second can cancel the first. Splitting the squared error (Y channel, as the
PSNR tables) by a mask of the pixels where the rainy input differs from the
ground truth by more than a threshold shows both: a model that helps lowers
the error inside the mask and keeps it outside.
"""
from typing import Dict, List, Optional, Sequence, Tuple

import mmcv
import numpy as np

from .compare_grid import match_by_name, read_cropped


def y_channel(img: np.ndarray) -> np.ndarray:
    """The Y channel (ITU-R BT.601, 16-235) of a uint8 BGR image, as float64
    grey levels, without rounding."""
    return mmcv.bgr2ycbcr(img.astype(np.float32) / 255.,
                          y_only=True).astype(np.float64) * 255.


def split_error(rainy: np.ndarray,
                output: np.ndarray,
                gt: np.ndarray,
                threshold: float = 10.0) -> Dict[str, float]:
    """The squared Y error of the input and the output, inside and outside
    the mask ``|Y(rainy) - Y(gt)| > threshold``.

    Both parts are sums over their pixels divided by *all* pixels, so that
    ``mse_changed + mse_rest`` is the image's MSE.

    Args:
        rainy (np.ndarray): Rainy input, uint8 BGR, shape (H, W, 3).
        output (np.ndarray): De-rained output of the same shape.
        gt (np.ndarray): Ground truth of the same shape.
        threshold (float): Grey levels (Y) that mark a pixel as changed by
            the rain. Default: 10.

    Returns:
        dict: ``changed_fraction``; ``input_psnr`` and ``output_psnr`` (Y,
        dB); ``input_mse_changed``, ``output_mse_changed``,
        ``input_mse_rest``, ``output_mse_rest``; ``mean_shift``, the mean
        of ``Y(output) - Y(rainy)`` outside the mask (negative: darker).
    """
    shapes = {a.shape for a in (rainy, output, gt)}
    if len(shapes) != 1:
        raise ValueError(f'split_error: the rainy input, output and ground '
                         f'truth differ in shape: {sorted(shapes)}.')
    y_rainy, y_out, y_gt = y_channel(rainy), y_channel(output), y_channel(gt)
    err_in, err_out = y_rainy - y_gt, y_out - y_gt
    changed = np.abs(err_in) > threshold
    rest = ~changed
    size = err_in.size

    def psnr(err: np.ndarray) -> float:
        mse = float(np.mean(err**2))
        return float('inf') if mse == 0 else 10 * np.log10(255.**2 / mse)

    return dict(
        changed_fraction=float(changed.mean()),
        input_psnr=psnr(err_in),
        output_psnr=psnr(err_out),
        input_mse_changed=float((err_in[changed]**2).sum() / size),
        output_mse_changed=float((err_out[changed]**2).sum() / size),
        input_mse_rest=float((err_in[rest]**2).sum() / size),
        output_mse_rest=float((err_out[rest]**2).sum() / size),
        mean_shift=float((y_out - y_rainy)[rest].mean()) if rest.any() else
        0.0)


def error_split_report(inputs: Sequence[str],
                       model: Tuple[str, str],
                       gt: str,
                       crop: Optional[int] = None,
                       threshold: float = 10.0,
                       device: Optional[str] = None) -> List[dict]:
    """Run a model on rainy images and split each output's error.

    Args:
        inputs (Sequence[str]): Rainy image files.
        model (tuple[str, str]): ``(config, checkpoint)``.
        gt (str): Ground-truth folder or template (see
            :func:`~mmderain.analysis.compare_grid.match_by_name`).
        crop (int, optional): Side of the central square to score (see
            :func:`~mmderain.analysis.compare_grid.center_crop`); None
            scores whole images. Default: None.
        threshold (float): See :func:`split_error`. Default: 10.
        device (str, optional): None picks CUDA when available.

    Returns:
        list[dict]: Per image, ``name`` and the entries of
        :func:`split_error`.
    """
    from mmderain.apis import derain_image, init_model

    gts = match_by_name(inputs, gt, 'ground truth')
    net = init_model(*model, device=device)
    rows = []
    for path, gt_path in zip(inputs, gts):
        rainy = read_cropped(path, crop)
        row = split_error(rainy, derain_image(net, rainy),
                          read_cropped(gt_path, crop), threshold)
        rows.append(dict(name=path, **row))
    return rows


def mean_row(rows: Sequence[dict]) -> dict:
    """The mean of every entry over images (PSNR as a test set's: the mean
    of the images' PSNRs)."""
    keys = [k for k in rows[0] if k != 'name']
    return dict(
        name='mean', **{k: float(np.mean([r[k] for r in rows]))
                        for k in keys})
