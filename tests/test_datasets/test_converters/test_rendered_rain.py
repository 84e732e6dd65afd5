"""The converter tool writes the Rain100 layout that Rain100Dataset reads."""
import os.path as osp

import numpy as np
from tool_runs import run_script

from mmderain.datasets import (Rain100Dataset, RenderedRainDataset,
                               export_rain100_layout)

TOOL = osp.join(
    osp.dirname(__file__), '..', '..', '..', 'tools', 'dataset_converters',
    'render_rain.py')


def test_tool_round_trips_through_rain100_dataset(tmp_path, monkeypatch,
                                                  load_and_pack, capsys):
    assert run_script(monkeypatch, TOOL, tmp_path, '--presets', 'rain100h',
                      'rain14000', '--num-train', '3', '--num-test', '2',
                      '--train-size', '40', '--test-size', '24', '--seed',
                      '5') == 0
    assert 'rain100h/test: wrote 2 pairs' in capsys.readouterr().out
    assert (tmp_path / 'rain100h' / 'train' / 'rainy' /
            'rain-003.png').is_file()
    assert (tmp_path / 'rain14000' / 'test' / 'norain-002.png').is_file()
    written = Rain100Dataset(
        data_root=str(tmp_path / 'rain100h' / 'test'),
        pipeline=load_and_pack,
        test_mode=True)
    rendered = RenderedRainDataset(
        preset='rain100h',
        split='test',
        num_samples=2,
        img_size=24,
        seed=5,
        test_mode=True,
        pipeline=[dict(type='PackInputs')])
    assert len(written) == 2
    for index in range(2):
        on_disk, in_memory = written[index], rendered[index]
        assert on_disk['inputs'].shape == (3, 24, 24)
        np.testing.assert_array_equal(on_disk['inputs'], in_memory['inputs'])
        np.testing.assert_array_equal(on_disk['data_samples'].gt_img,
                                      in_memory['data_samples'].gt_img)


def test_tool_refuses_to_overwrite(tmp_path, monkeypatch):
    args = [
        str(tmp_path), '--presets', 'rain100l', '--splits', 'test',
        '--num-test', '1', '--test-size', '16'
    ]
    assert run_script(monkeypatch, TOOL, *args) == 0
    assert 'not empty' in run_script(monkeypatch, TOOL, *args)
    assert run_script(monkeypatch, TOOL, *args, '--overwrite') == 0
    # argparse's exit status for an unknown preset.
    assert run_script(monkeypatch, TOOL, tmp_path, '--presets', 'snow') == 2


def test_export_function(tmp_path):
    dataset = RenderedRainDataset(
        preset='heldout', split='test', num_samples=2, img_size=16)
    assert export_rain100_layout(dataset, str(tmp_path / 'out')) == 2
    assert sorted(p.name for p in (tmp_path / 'out').iterdir()) == [
        'norain-001.png', 'norain-002.png', 'rainy'
    ]
