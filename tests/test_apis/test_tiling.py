import numpy as np
import pytest

from mmderain.apis.tiling import (auto_tile_size, blend_profile, count_tiles,
                                  tile_grid, tiled_apply)


@pytest.mark.parametrize('length,tile,overlap', [(100, 32, 8), (4000, 768, 32),
                                                 (3000, 768, 32), (33, 32, 8),
                                                 (20, 32, 8)])
def test_tile_grid_covers_the_axis_with_the_overlap(length, tile, overlap):
    size, starts = tile_grid(length, tile, overlap)
    assert size <= tile and starts[0] == 0 and starts[-1] + size == length
    shared = [a + size - b for a, b in zip(starts, starts[1:])]
    assert all(s >= overlap for s in shared)
    # Shrunk to the least size: the overlaps exceed the asked one by a
    # rounding pixel at most.
    assert all(s <= overlap + 1 for s in shared)


def test_large_photo_computes_under_ten_percent_twice():
    # The speed target: the time per megapixel of a 4000x3000 photo stays
    # within 10% of a single tile's.
    size_h, rows = tile_grid(3000, 768, 32)
    size_w, cols = tile_grid(4000, 768, 32)
    computed = size_h * len(rows) * size_w * len(cols)
    assert computed / (3000 * 4000) < 1.10
    assert count_tiles(3000, 4000, 768, 32) == len(rows) * len(cols)


def test_blend_profiles_of_neighbours_sum_to_one():
    size, starts = tile_grid(100, 32, 8)
    total = np.zeros(100)
    for index, start in enumerate(starts):
        weights = blend_profile(starts, index, size)
        assert weights.min() > 0
        total[start:start + size] += weights
    np.testing.assert_allclose(total, 1, rtol=1e-6)


def test_tiled_apply_of_a_pixelwise_function_is_exact():
    img = np.random.default_rng(0).integers(0, 256, (37, 53, 3), np.uint8)
    shapes = []

    def fn(crop):
        shapes.append(crop.shape[:2])
        return crop.astype(np.float32) * 2

    out = tiled_apply(fn, img, tile=16, overlap=4)
    np.testing.assert_allclose(out, img * 2.0, rtol=1e-5)
    # Memory stays bounded: no call sees more than one tile.
    assert max(max(s) for s in shapes) <= 16 and len(shapes) > 1


def test_tiled_apply_rejects_overlap_as_large_as_the_tile():
    with pytest.raises(ValueError, match='tile_overlap'):
        tiled_apply(lambda x: x, np.zeros((8, 8, 3), np.uint8), 8, 8)


def test_auto_tile_size_tiles_only_large_images():
    # Photos above one megapixel (2**20 pixels) run in 768-pixel tiles, as
    # the user guide states.
    assert auto_tile_size(1000, 1000) == 0
    assert auto_tile_size(1024, 1024) == 0
    assert auto_tile_size(1024, 1025) == 768
    assert auto_tile_size(3000, 4000) == 768
