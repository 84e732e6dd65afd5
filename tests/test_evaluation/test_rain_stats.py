import os.path as osp

import cv2
import numpy as np
import pytest
from tool_runs import run_tool

from mmderain.datasets.transforms.rain_renderer import (render_rain,
                                                        render_rain_layer)
from mmderain.datasets.transforms.random_state import deterministic_rng
from mmderain.evaluation.rain_stats import (STAT_NAMES,
                                            compare_pairs_and_rendered,
                                            format_table, layer_statistics,
                                            rain_layer)


def line_layer(angle, length=24, size=192, count=40, seed=0):
    """Sparse straight streaks of one angle (renderer's convention)."""
    preset = dict(
        angle=angle, length=length, density=count / size**2, intensity=0.5)
    rain, _, _ = render_rain_layer((size, size), preset,
                                   np.random.default_rng(seed))
    return rain


@pytest.mark.parametrize('angle', [-25.0, 0.0, 15.0])
def test_angle_follows_the_rendered_direction(angle):
    stats = layer_statistics(line_layer(angle))
    assert abs(stats['angle'] - angle) < 3.0
    assert stats['angle_spread'] < 10.0


def test_longer_streaks_measure_longer_and_not_wider():
    short = layer_statistics(line_layer(0.0, length=10))
    long = layer_statistics(line_layer(0.0, length=40))
    assert long['length'] > 2.5 * short['length']
    assert long['width'] < 1.5 * short['width']
    assert long['length'] > 4 * long['width']


def test_two_directions_spread_more_than_one():
    one = layer_statistics(line_layer(0.0))
    two = layer_statistics(line_layer(-30.0) + line_layer(30.0, seed=1))
    assert two['angle_spread'] > one['angle_spread'] + 10.0


def test_blur_lowers_sharpness_and_density_counts_streak_pixels():
    layer = line_layer(0.0)
    blurred = cv2.GaussianBlur(layer, (0, 0), 1.5)
    assert (layer_statistics(blurred)['sharpness'] <
            0.7 * layer_statistics(layer)['sharpness'])
    stats = layer_statistics(layer)
    assert stats['density'] == pytest.approx((layer > 8 / 255).mean())


def test_veil_darkening_colour_and_background_dependence():
    rng = np.random.default_rng(0)
    clean = rng.uniform(0.0, 0.8, (128, 128, 3)).astype(np.float32)
    streaks = line_layer(0.0, size=128)[..., None]
    additive = layer_statistics(streaks.repeat(3, axis=2) + 0.1, clean)
    assert additive['veil'] == pytest.approx(0.1, abs=1e-6)
    assert additive['chroma'] == pytest.approx(0.0, abs=1e-6)
    assert abs(additive['bg_corr']) < 0.2
    screen = 1 - (1 - clean) * (1 - streaks)
    assert layer_statistics(screen - clean, clean)['bg_corr'] < -0.3
    bluish = streaks * np.array([0.6, 0.8, 1.0], np.float32)
    assert layer_statistics(bluish)['chroma'] > 0.1
    dark = layer_statistics(-streaks[..., 0])
    assert dark['darkening'] > 0 and dark['density'] == 0
    assert np.isnan(dark['intensity'])


def test_veil_slope_tells_a_blended_veil_from_an_additive_lift():
    clean = np.tile(np.linspace(0.0, 1.0, 128, dtype=np.float32),
                    (128, 1))[..., None].repeat(3, axis=2)
    streaks = line_layer(0.0, size=128)[..., None]
    lifted = np.clip(clean + 0.15 + streaks, 0.0, 1.0)
    lift = layer_statistics(lifted - clean, clean)
    assert abs(lift['veil_slope']) < 0.02
    alpha = 0.25
    blended = (1 - alpha) * np.clip(clean + streaks, 0, 1) + alpha * 0.8
    veil = layer_statistics(blended - clean, clean)
    assert veil['veil_slope'] == pytest.approx(-alpha, abs=0.03)
    # Without the clean image, or on a flat one, there is no slope.
    assert np.isnan(layer_statistics(blended - clean)['veil_slope'])
    flat = np.full_like(clean, 0.3)
    assert np.isnan(layer_statistics(lifted - flat, flat)['veil_slope'])


def test_rain_layer_checks_shapes():
    with pytest.raises(ValueError, match='must match'):
        rain_layer(np.zeros((4, 4, 3), np.uint8), np.zeros((4, 5, 3),
                                                           np.uint8))


def write_pairs(folder, preset, seed, count=3, size=(96, 112)):
    """Pairs whose 'real' rain is the renderer's own, for an exact check."""
    rng = np.random.default_rng(123)
    for index in range(count):
        clean = rng.integers(0, 200, size + (3, ), dtype=np.uint8)
        clean = cv2.GaussianBlur(clean, (0, 0), 2.0)
        rainy = render_rain(clean, preset, deterministic_rng(seed, index))
        for name, image in ((f'rain-{index + 1}.png', rainy),
                            (f'norain-{index + 1}.png', clean)):
            cv2.imwrite(
                osp.join(folder, name), cv2.cvtColor(image,
                                                     cv2.COLOR_RGB2BGR))
    return [(osp.join(folder, f'rain-{i + 1}.png'),
             osp.join(folder, f'norain-{i + 1}.png')) for i in range(count)]


def test_real_rain_equal_to_the_preset_measures_equal(tmp_path):
    pairs = write_pairs(str(tmp_path), 'rain100h', seed=5)
    summaries, picture = compare_pairs_and_rendered(
        pairs, ['rain100h', 'rain100l'],
        seed=5,
        num_picture=2,
        tile=64,
        pairs_name='RainTrainH')
    assert list(summaries) == ['RainTrainH', 'rain100h', 'rain100l']
    for stat in STAT_NAMES:
        np.testing.assert_allclose(summaries['RainTrainH'][stat],
                                   summaries['rain100h'][stat])
    assert summaries['rain100h'] != summaries['rain100l']
    # 2 rows x (pairs + 2 presets) x (rainy, layer) tiles of 64 + 4 px gaps.
    assert picture.shape == (2 * 64 + 4, 6 * 64 + 5 * 4, 3)
    table = format_table(summaries, {'RainTrainH': 3})
    assert '| RainTrainH (3) | rain100h | rain100l |' in table
    assert table.count('\n') == len(STAT_NAMES) + 1
    # Marked: a preset's mean outside the pairs' spread, never the same
    # rain, always the light preset's streaks against heavy rain.
    marked = format_table(summaries, reference='RainTrainH').split('\n')
    intensity = next(line for line in marked
                     if line.startswith('| intensity |'))
    cells = intensity.split(' | ')
    assert not cells[1].endswith('*') and not cells[2].endswith('*')
    assert cells[3].endswith('* |')
    assert "outside RainTrainH's mean" in marked[-1]
    with pytest.raises(ValueError, match='reference "real"'):
        format_table(summaries, reference='real')


def test_comparison_names_custom_presets_apart(tmp_path):
    pairs = write_pairs(str(tmp_path), 'rain100l', seed=1, count=1)
    light, heavy = dict(density=0.002), dict(density=0.02)
    summaries, _ = compare_pairs_and_rendered(pairs, [light, heavy], seed=1)
    assert list(summaries) == ['pairs', 'custom-1', 'custom-2']
    assert (summaries['custom-2']['density'][0] >
            summaries['custom-1']['density'][0])
    with pytest.raises(ValueError, match='distinct names'):
        compare_pairs_and_rendered(pairs, ['rain100l'], pairs_name='rain100l')


@pytest.mark.e2e
def test_tool_prints_the_table_and_writes_the_picture(tmp_path):
    data = tmp_path / 'RainTrainL'
    data.mkdir()
    write_pairs(str(data), 'rain100l', seed=0)
    out = tmp_path / 'out'
    result = run_tool('tools/analysis_tools/rain_stats.py', data,
                      '--presets', 'rain100l', 'heldout', '--id-range', '1',
                      '2', '--out-dir', out)
    assert ('| RainTrainL (2) | rain100l (2) | heldout (2) |'
            in result.stdout)
    for name in ('rain_stats.md', 'rain_stats.json', 'rain_layers.png'):
        assert (out / name).is_file()
    assert cv2.imread(str(out / 'rain_layers.png')).shape[0] > 0
