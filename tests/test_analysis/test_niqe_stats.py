import csv

import cv2
import mmcv
import numpy as np
import pytest
from skimage import data as skimage_data

from mmderain.analysis import (image_niqe, niqe_report, parse_folder,
                               plot_distributions, summarize)


def photo() -> np.ndarray:
    """A natural photo, 256x256 BGR."""
    rgb = cv2.resize(skimage_data.astronaut(), (256, 256),
                     interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(rgb[..., ::-1])


def noisy(img: np.ndarray, seed: int) -> np.ndarray:
    noise = np.random.default_rng(seed).normal(0, 40, img.shape)
    return np.clip(img + noise, 0, 255).astype(np.uint8)


def test_image_niqe_scores_noise_as_less_natural():
    clean = photo()
    assert np.isfinite(image_niqe(clean))
    assert image_niqe(noisy(clean, 0)) > image_niqe(clean) + 1


def test_image_niqe_needs_two_blocks_and_shrinks_first():
    with pytest.raises(ValueError, match='two 96x96 blocks'):
        image_niqe(np.zeros((100, 150, 3), np.uint8))
    # 256 px shrunk to 120 px holds one block only.
    with pytest.raises(ValueError, match='120x120'):
        image_niqe(photo(), max_side=120)


def test_summarize_and_parse_folder():
    (row, ) = summarize({'a': [1.0, 3.0]})
    assert (row['count'], row['mean'], row['std'], row['median']) == (2, 2.0,
                                                                      1.0, 2.0)
    assert parse_folder('real=some/dir') == ('real', 'some/dir')
    assert parse_folder('some/dir/') == ('dir', 'some/dir/')


def test_niqe_report_writes_plot_csv_and_summary(tmp_path):
    clean = photo()
    for index in range(2):
        mmcv.imwrite(
            np.rot90(clean, index).copy(),
            str(tmp_path / 'clean' / f'{index}.png'))
        mmcv.imwrite(noisy(clean, index),
                     str(tmp_path / 'noisy' / f'{index}.png'))
    (tmp_path / 'noisy' / 'broken.png').write_bytes(b'no image')
    rows, skipped = niqe_report([('clean', str(tmp_path / 'clean')),
                                 ('noisy', str(tmp_path / 'noisy'))],
                                str(tmp_path / 'out'))
    assert [r['count'] for r in rows] == [2, 2]
    assert rows[1]['mean'] > rows[0]['mean']
    assert list(skipped) == [str(tmp_path / 'noisy' / 'broken.png')]
    plot = mmcv.imread(str(tmp_path / 'out' / 'niqe_distributions.png'))
    assert plot.shape[0] > 100 and plot.std() > 0
    with open(tmp_path / 'out' / 'niqe_per_image.csv') as file:
        assert len(list(csv.DictReader(file))) == 4
    summary = (tmp_path / 'out' / 'niqe_summary.md').read_text()
    assert '| clean | 2 |' in summary and 'full resolution' in summary


def test_plot_distributions_on_a_log_axis(tmp_path):
    out = tmp_path / 'plot.png'
    plot_distributions({
        'a': [2.0, 3.0, 4.0],
        'b': [30.0],
        'empty': []
    },
                       str(out),
                       log_x=True)
    assert mmcv.imread(str(out)).std() > 0


def test_niqe_report_passes_plot_options(tmp_path, monkeypatch):
    from mmderain.analysis import niqe_stats
    mmcv.imwrite(photo(), str(tmp_path / 'in' / 'a.png'))
    seen = {}
    monkeypatch.setattr(niqe_stats, 'plot_distributions',
                        lambda groups, out, **kwargs: seen.update(kwargs))
    niqe_report([('a', str(tmp_path / 'in'))],
                str(tmp_path / 'out'),
                bins=7,
                log_x=True)
    assert seen == dict(bins=7, log_x=True)
