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


def _check_shapes(owner: str, *images: np.ndarray) -> None:
    shapes = {img.shape for img in images}
    if len(shapes) != 1:
        raise ValueError(f'{owner}: the rainy input, output and ground '
                         f'truth differ in shape: {sorted(shapes)}.')


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
    _check_shapes('split_error', rainy, output, gt)
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


#: Lower edges (Y grey levels) of the bins of :func:`split_by_change`.
CHANGE_EDGES = (0., 1., 2., 4., 8., 16.)


def split_by_change(rainy: np.ndarray,
                    output: np.ndarray,
                    gt: np.ndarray,
                    threshold: float = 10.0,
                    edges: Sequence[float] = CHANGE_EDGES) -> List[dict]:
    """How the output's change of each pixel, ``|Y(output) - Y(rainy)|``,
    splits the error, inside and outside the mask of :func:`split_error`.

    A model that helps on sparse rain moves the masked pixels toward the
    ground truth and leaves the rest alone. Binning by the size of the
    change tells whether what it costs on rain-free pixels is many small
    changes (a tone or noise shift, which shrinking small changes would
    undo) or a few large ones in no consistent direction (texture taken
    for rain).

    Args:
        rainy (np.ndarray): Rainy input, uint8 BGR, shape (H, W, 3).
        output (np.ndarray): De-rained output of the same shape.
        gt (np.ndarray): Ground truth of the same shape.
        threshold (float): See :func:`split_error`. Default: 10.
        edges (Sequence[float]): Increasing lower edges of the bins, in Y
            grey levels, starting at 0; the last bin is open. Default:
            :data:`CHANGE_EDGES`.

    Returns:
        list[dict]: Per mask part (``region``: ``'changed'`` or ``'rest'``)
        and bin (``low``, ``high``; ``high`` is inf for the last),
        ``share`` (its pixels over all pixels), ``toward`` (the share of
        all pixels that are in the bin and changed toward the ground
        truth) and ``delta_mse`` (its part of ``MSE(output) -
        MSE(input)``, per pixel of the image; negative: it helps).
    """
    edges = [float(e) for e in edges]
    if not edges or edges[0] != 0 or any(
            b <= a for a, b in zip(edges, edges[1:])):
        raise ValueError(f'split_by_change: edges must increase from 0, '
                         f'got {edges}.')
    _check_shapes('split_by_change', rainy, output, gt)
    y_rainy, y_out, y_gt = y_channel(rainy), y_channel(output), y_channel(gt)
    err_in, change = y_rainy - y_gt, y_out - y_rainy
    delta = (y_out - y_gt)**2 - err_in**2
    toward = np.sign(change) == -np.sign(err_in)
    toward &= change != 0
    size = err_in.size
    changed = np.abs(err_in) > threshold
    rows = []
    for region, mask in (('changed', changed), ('rest', ~changed)):
        for low, high in zip(edges, edges[1:] + [float('inf')]):
            sel = mask & (np.abs(change) >= low) & (np.abs(change) < high)
            rows.append(
                dict(region=region,
                     low=low,
                     high=high,
                     share=float(sel.sum() / size),
                     toward=float((sel & toward).sum() / size),
                     delta_mse=float(delta[sel].sum() / size)))
    return rows


def mean_change_rows(per_image: Sequence[List[dict]]) -> List[dict]:
    """The mean over images of :func:`split_by_change`'s rows (bin by
    bin; every image binned with the same edges)."""
    keys = ('share', 'toward', 'delta_mse')
    return [
        dict(first, **{k: float(np.mean([rows[i][k] for rows in per_image]))
                       for k in keys})
        for i, first in enumerate(per_image[0])
    ]


def error_split_report(inputs: Sequence[str],
                       model: Tuple[str, str],
                       gt: str,
                       crop: Optional[int] = None,
                       threshold: float = 10.0,
                       device: Optional[str] = None,
                       by_change: bool = False) -> List[dict]:
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
        by_change (bool): Also bin each image by the output's change
            (:func:`split_by_change`, default edges). Default: False.

    Returns:
        list[dict]: Per image, ``name`` and the entries of
        :func:`split_error`; with ``by_change``, ``by_change`` too.
    """
    from mmderain.apis import derain_image, init_model

    gts = match_by_name(inputs, gt, 'ground truth')
    net = init_model(*model, device=device)
    rows = []
    for path, gt_path in zip(inputs, gts):
        rainy, gt_img = read_cropped(path, crop), read_cropped(gt_path, crop)
        output = derain_image(net, rainy)
        row = dict(name=path, **split_error(rainy, output, gt_img, threshold))
        if by_change:
            row['by_change'] = split_by_change(rainy, output, gt_img,
                                               threshold)
        rows.append(row)
    return rows


def mean_row(rows: Sequence[dict]) -> dict:
    """The mean of every entry over images (PSNR as a test set's: the mean
    of the images' PSNRs)."""
    keys = [k for k in rows[0] if k not in ('name', 'by_change')]
    return dict(
        name='mean', **{k: float(np.mean([r[k] for r in rows]))
                        for k in keys})
