"""Run an image-to-image network on overlapping tiles of a large image.

A convolutional de-rainer needs memory in proportion to the pixels it sees
at once: PReNet needs about 1.5 to 1.9 GiB per megapixel on the CPU. Photos
of 12 MP and more therefore run tile by tile. Near a tile's border the
network sees zero padding instead of the neighbouring pixels, so its
output there differs from the whole-image output; tiles
overlap and are blended with weights that fall linearly to almost zero at
every border a neighbouring tile covers. Each pixel is then taken mostly
from the tile that sees it far from a border, and no seam shows.

The grid is a product of one row of starts per axis and every tile's
weight is the outer product of one profile per axis, so the sum of all
weights at a pixel is the product of two 1-D sums: no full-size weight map
is kept.
"""
from typing import Callable, List, Optional, Tuple

import numpy as np

# Above this many pixels an image runs tiled unless told otherwise. PReNet
# (6 stages, 32 channels) run whole adds 1.5 to 1.9 GiB per megapixel on the
# CPU; with tiles of at most 768 pixels a 4000x3000 photo adds 0.84 GiB in
# all (docs/en/derain_photos.md). Tiles of 768 pixels
# overlapping by 32 compute 8 to 9 percent of a large photo's pixels twice;
# 512-pixel tiles would need less memory but compute 13 percent twice.
AUTO_TILE_PIXELS = 1 << 20
DEFAULT_TILE = 768
DEFAULT_TILE_OVERLAP = 32


def auto_tile_size(height: int, width: int) -> int:
    """The tile size :func:`tiled_apply` uses when none is given.

    Args:
        height (int): Image height.
        width (int): Image width.

    Returns:
        int: :data:`DEFAULT_TILE` for images of more than
        :data:`AUTO_TILE_PIXELS` pixels, else 0 (no tiling).
    """
    return DEFAULT_TILE if height * width > AUTO_TILE_PIXELS else 0


def tile_grid(length: int, tile: int, overlap: int) -> Tuple[int, List[int]]:
    """Tile size and starts along one axis.

    The fewest tiles of at most ``tile`` pixels that cover ``length`` with
    neighbours sharing at least ``overlap`` pixels; the tiles are then
    shrunk to the smallest equal size that still does, so that the pixels
    computed twice stay near ``(count - 1) * overlap`` (with 768-pixel
    tiles and a 32-pixel overlap, 4 to 5 percent per axis).

    Args:
        length (int): Size of the axis.
        tile (int): Largest tile size along the axis.
        overlap (int): Least overlap of neighbouring tiles.

    Returns:
        tuple[int, list[int]]: The tile size and the increasing starts; the
        first is 0 and the last tile ends at ``length``.
    """
    if tile >= length:
        return length, [0]
    count = -(-(length - overlap) // (tile - overlap))
    size = -(-(length + (count - 1) * overlap) // count)
    starts = np.round(np.linspace(0, length - size, count))
    return size, [int(start) for start in starts]


def count_tiles(height: int, width: int, tile: int, overlap: int) -> int:
    """How many tiles :func:`tiled_apply` runs (1 when ``tile`` is 0)."""
    if not tile:
        return 1
    return (len(tile_grid(height, tile, overlap)[1]) *
            len(tile_grid(width, tile, overlap)[1]))


def blend_profile(starts: List[int], index: int, size: int) -> np.ndarray:
    """The 1-D blending weights of tile ``index`` along one axis.

    Over the pixels the tile shares with its previous neighbour the weight
    rises linearly from near 0 to near 1, and over those it shares with the
    next one it falls; a pair of neighbours' weights thus sums to 1 at every
    shared pixel. Borders of the image keep weight 1.

    Args:
        starts (list[int]): All tile starts on the axis
            (see :func:`tile_grid`).
        index (int): Which tile.
        size (int): Tile size along the axis.

    Returns:
        np.ndarray: float32 weights, shape (size, ).
    """
    weights = np.ones(size, np.float32)
    start = starts[index]
    if index > 0:
        shared = starts[index - 1] + size - start
        weights[:shared] = (np.arange(shared) + 0.5) / shared
    if index + 1 < len(starts):
        shared = start + size - starts[index + 1]
        weights[size - shared:] = np.minimum(
            weights[size - shared:], (np.arange(shared)[::-1] + 0.5) / shared)
    return weights


def tiled_apply(fn: Callable[[np.ndarray], np.ndarray],
                img: np.ndarray,
                tile: int,
                overlap: int = DEFAULT_TILE_OVERLAP,
                progress: Optional[Callable[[], None]] = None) -> np.ndarray:
    """Apply ``fn`` to overlapping tiles of ``img`` and blend the results.

    Args:
        fn (Callable): Maps an (h, w, C) crop of ``img`` (a view; do not
            modify it) to a new float32 (h, w, C') array, the network's
            output for that crop; the array is weighted in place.
        img (np.ndarray): The image, shape (H, W, C).
        tile (int): Largest tile height and width; an axis shorter than
            ``tile`` is taken whole. Tiles are shrunk as far as the overlap
            allows (see :func:`tile_grid`).
        overlap (int): Least overlap of neighbouring tiles, in pixels.
            Should exceed the width of the border band where the network's
            output depends on padding. Default: 32.
        progress (Callable, optional): Called once after each tile.

    Returns:
        np.ndarray: float32 (H, W, C') blended output.

    Raises:
        ValueError: If ``tile`` is not larger than ``overlap`` or
            ``overlap`` is negative.
    """
    if overlap < 0 or tile <= overlap:
        raise ValueError(
            f'tile={tile} must be larger than tile_overlap={overlap}, and '
            'tile_overlap must not be negative.')
    height, width = img.shape[:2]
    tile_h, rows = tile_grid(height, tile, overlap)
    tile_w, cols = tile_grid(width, tile, overlap)
    row_sum = np.zeros(height, np.float32)
    col_sum = np.zeros(width, np.float32)
    out = None
    for i, top in enumerate(rows):
        wy = blend_profile(rows, i, tile_h)
        row_sum[top:top + wy.size] += wy
        for j, left in enumerate(cols):
            wx = blend_profile(cols, j, tile_w)
            if i == 0:
                col_sum[left:left + wx.size] += wx
            pred = fn(img[top:top + wy.size, left:left + wx.size])
            if out is None:
                out = np.zeros((height, width, pred.shape[-1]), np.float32)
            pred *= wy[:, None, None]
            pred *= wx[None, :, None]
            out[top:top + wy.size, left:left + wx.size] += pred
            if progress is not None:
                progress()
    out /= row_sum[:, None, None]
    out /= col_sum[None, :, None]
    return out
