"""The full check of a folder or a config's datasets
(mmderain.datasets.check_dataset, tools/analysis_tools/check_dataset.py),
and the centre-crop test pipeline of RainTrainL's held-out split."""
import copy
import os.path as osp
import runpy
import sys

import cv2
import numpy as np
import pytest
from mmengine.config import Config

from mmagic.registry import DATASETS
from mmderain.datasets import check_config, detect_dataset_type, run_check

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(ROOT, 'tools', 'analysis_tools', 'check_dataset.py')
RAINTRAIN = osp.join(ROOT, 'configs', '_base_', 'datasets', 'raintrain.py')


def _write(path, height=20, width=24, seed=0):
    path.parent.mkdir(parents=True, exist_ok=True)
    image = np.random.default_rng(seed).integers(0, 256, (height, width, 3),
                                                 np.uint8)
    assert cv2.imwrite(str(path), image)
    return path


def _bad_rain100_folder(root):
    """Pair 1 good, pair 2 of different sizes, pair 3 with a truncated
    clean image."""
    for index in (1, 2, 3):
        _write(root / f'rain-{index}.png', seed=index)
    _write(root / 'norain-1.png')
    _write(root / 'norain-2.png', 18)
    clean = _write(root / 'norain-3.png')
    data = clean.read_bytes()
    # Header and IEND intact: only decoding finds the damage.
    clean.write_bytes(data[:100] + bytes(len(data) - 112) + data[-12:])
    return root


def test_detects_the_layouts(tmp_path):
    layouts = {
        'Rain14000Dataset': ['rainy_image/1_1.png', 'ground_truth/1.png'],
        'InputTargetDataset': ['input/1.png', 'target/1.png'],
        'Rain1200Dataset': ['Rain_Light/train2018new/0.png'],
        'Rain100Dataset': ['rain-1.png', 'norain-1.png'],
    }
    for kind, files in layouts.items():
        for name in files:
            _write(tmp_path / kind / name)
        assert detect_dataset_type(str(tmp_path / kind)) == kind
    (tmp_path / 'SPADataset').mkdir()
    (tmp_path / 'SPADataset' / 'real_test_1000.txt').write_text('')
    assert detect_dataset_type(str(tmp_path / 'SPADataset')) == 'SPADataset'
    _write(tmp_path / 'pairs' / '1.png', width=48)
    with pytest.raises(
            ValueError,
            match='Cannot tell the layout of ".*pairs'
            '".*Give the dataset type'):
        detect_dataset_type(str(tmp_path / 'pairs'))


def test_a_folder_check_lists_every_bad_pair_with_both_files(tmp_path):
    root = _bad_rain100_folder(tmp_path / 'RainTrainL')
    summary, passed = run_check([str(root)])
    assert not passed
    lines = summary.splitlines()
    assert lines[0].startswith(f'Rain100Dataset "{root}": 3 pairs, 6 files, '
                               '1 bad files, 1 size mismatches')
    bad = lines.index('Bad files (1):')
    assert lines[bad + 1].startswith(
        f'  rain-3: rainy "{root / "rain-3.png"}" / clean '
        f'"{root / "norain-3.png"}": "{root / "norain-3.png"}" is not a '
        'usable image: PIL cannot decode it')
    assert lines[bad + 2] == 'Size mismatches (1):'
    assert f'the rainy image "{root / "rain-2.png"}" is 24x20 but' in lines[bad
                                                                            +
                                                                            3]
    assert lines[-1].startswith('FAILED: 3 pairs and 0 images, 6 files '
                                'decoded, 1 bad files, 1 size mismatches')


def test_the_tool_exits_1_on_a_bad_folder_and_0_on_a_good_one(
        tmp_path, capsys, monkeypatch):
    root = _bad_rain100_folder(tmp_path / 'data')
    tool = runpy.run_path(TOOL)
    monkeypatch.setattr(sys, 'argv', [TOOL, str(root)])
    assert tool['main']() == 1
    assert 'FAILED: 3 pairs' in capsys.readouterr().out
    monkeypatch.setattr(
        sys, 'argv',
        [TOOL, str(root), '--dataset-options', 'id_range=1,1'])
    assert tool['main']() == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith(
        'OK: 1 pairs and 0 images, 2 files decoded, 0 bad files')


def test_a_folder_that_cannot_be_built_is_a_failure(tmp_path):
    _write(tmp_path / 'rain-1.png')
    summary, passed = run_check([str(tmp_path)])
    assert not passed
    assert 'cannot be built: FileNotFoundError' in summary
    assert 'rain-1.png" has no clean partner' in summary


def test_a_config_check_covers_every_dataloader_once(tmp_path):
    good = tmp_path / 'good'
    _write(good / 'rain-1.png')
    _write(good / 'norain-1.png')
    bad = _bad_rain100_folder(tmp_path / 'bad')
    config = tmp_path / 'config.py'
    config.write_text(f'''
good = dict(type='Rain100Dataset', data_root={str(good)!r})
optional = dict(
    batch_size=1,
    dataset=dict(type='Rain100Dataset', data_root={str(tmp_path / 'no')!r}),
    optional_name='real')
photos = dict(type='TTLImageDataset', data_root={str(good)!r})
train_dataloader = dict(batch_size=1, dataset=good)
train_cfg = dict(tasks=[
    dict(name='first', dataloader=dict(batch_size=1, dataset=good)),
    dict(name='photos', dataloader=dict(batch_size=1, dataset=photos)),
    dict(name='second', dataloader=dict(batch_size=1, dataset=dict(
        type='RandomSubsetDataset', fraction=1.0, dataset=dict(
            type='Rain100Dataset', data_root={str(bad)!r})))),
    dict(name='rendered', dataloader=dict(batch_size=1, dataset=dict(
        type='RenderedRainDataset', num_samples=2))),
])
val_dataloader = [dict(batch_size=1, dataset=good), optional]
test_dataloader = val_dataloader
''')
    checks = check_config(str(config))
    described = [(c.name, c.used_by) for c in checks]
    assert described == [
        (f'Rain100Dataset "{good}"', [
            'train_dataloader', 'train_cfg.tasks[first]', 'val_dataloader[0]',
            'test_dataloader[0]'
        ]),
        (f'TTLImageDataset "{good}"', ['train_cfg.tasks[photos]']),
        (f'Rain100Dataset "{bad}"', ['train_cfg.tasks[second]']),
        ('RenderedRainDataset', ['train_cfg.tasks[rendered]']),
        (f'Rain100Dataset "{tmp_path / "no"}"',
         ['val_dataloader[1]', 'test_dataloader[1]']),
    ]
    assert [c.check.num_items if c.check else None
            for c in checks] == [1, 2, 3, None, None]
    assert not checks[1].check.paired
    assert len(checks[2].check.problems) == 2
    assert 'rendered or embedded' in checks[3].note
    assert 'left out: the optional set "real"' in checks[4].note
    assert not any(c.failed for c in checks)


def test_the_centre_crop_test_set_refuses_misaligned_pairs(tmp_path):
    rainy = _write(tmp_path / 'rain-160.png', 200, 200)
    clean = _write(tmp_path / 'norain-160.png', 200, 210)
    raintrain = Config.fromfile(RAINTRAIN)
    cfg = copy.deepcopy(raintrain.raintrainl_test_crop)
    cfg.data_root = str(tmp_path)
    with pytest.raises(
            ValueError,
            match=f'"{rainy}" is 200x200 but its '
            f'clean image "{clean}" is 210x200'):
        DATASETS.build(cfg)
    # Even unchecked, the crop itself refuses them (and the dataset names
    # both files).
    dataset = DATASETS.build(dict(cfg, check_pairs=False))
    with pytest.raises(ValueError, match='is 200x200 but its clean image'):
        dataset[0]
    crop = dataset.pipeline.transforms[2]
    results = dict(
        img=np.zeros((200, 200, 3)),
        gt=np.zeros((200, 210, 3)),
        img_path=str(rainy),
        gt_path=str(clean))
    with pytest.raises(
            ValueError,
            match=f'img "{rainy}" is 200x200, gt '
            f'"{clean}" is 210x200'):
        crop(results)
