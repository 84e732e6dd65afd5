import glob
import os
import os.path as osp
import subprocess
import sys
import types

import cv2
import pytest
import torch
from mmagic.structures import DataSample
from mmengine.registry import DATASETS

from mmderain.apis.runner_cfg import build_train_cfg
from mmderain.engine.hooks import FixedSamplesVisualizationHook

ROOT = osp.dirname(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
CONFIG = osp.join(ROOT, 'configs', 'prenet',
                  'prenet_b4-p64_800i_rendered-rain100h.py')


class _Recorder:
    img_keys = ['input', 'pred_img', 'gt_img']

    def __init__(self):
        self.names = []

    def add_datasample(self, data_sample, step):
        self.names.append((data_sample.vis_name, step))


def _runner(prefix, dataloader):
    loop = types.SimpleNamespace(
        dataloader=dataloader,
        evaluator=types.SimpleNamespace(
            metrics=[types.SimpleNamespace(prefix=prefix)]))
    return types.SimpleNamespace(
        val_loop=loop, test_loop=loop, visualizer=_Recorder(), iter=7)


def _sample(i, image=True):
    sample = DataSample(gt_path=f'data/x/norain-{i}.png')
    if image:
        sample.pred_img = torch.zeros(3, 4, 4)
    return sample


def test_first_samples_of_each_set_with_distinct_names():
    hook = FixedSamplesVisualizationHook(num_samples=2)
    runner = _runner('rendered_rain100h-Y', 'loader0')
    hook.before_val(runner)
    # Batches of two; the batch index runs on across sets (MultiValLoop).
    for idx in range(3):
        hook.after_val_iter(runner, idx, None,
                            [_sample(2 * idx), _sample(2 * idx + 1)])
    runner.val_loop.dataloader = 'loader1'
    runner.val_loop.evaluator.metrics[0].prefix = 'real'
    for idx in range(3, 5):
        hook.after_val_iter(runner, idx, None, [_sample(idx)])
    assert runner.visualizer.names == [('rendered_rain100h_norain-0', 7),
                                       ('rendered_rain100h_norain-1', 7),
                                       ('real_norain-3', 7),
                                       ('real_norain-4', 7)]
    # The next validation draws the same samples again.
    runner.visualizer.names.clear()
    hook.before_val(runner)
    hook.after_val_iter(runner, 0, None, [_sample(3)])
    assert runner.visualizer.names == [('real_norain-3', 7)]


def test_samples_without_images_are_skipped():
    hook = FixedSamplesVisualizationHook(num_samples=2)
    runner = _runner('Y', 'loader0')
    hook.before_test(runner)
    hook.after_test_iter(runner, 0, None, [_sample(0, image=False)])
    assert runner.visualizer.names == []
    hook.after_test_iter(runner, 1, None, [DataSample(pred_img=1)])
    assert runner.visualizer.names == [('set0_0', 7)]
    off = FixedSamplesVisualizationHook(num_samples=0)
    runner = _runner('Y', 'loader0')
    off.before_val(runner)
    off.after_val_iter(runner, 0, None, [_sample(0)])
    assert runner.visualizer.names == []
    with pytest.raises(ValueError, match='num_samples'):
        FixedSamplesVisualizationHook(num_samples=-1)


@pytest.mark.e2e
def test_tiny_run_writes_input_prediction_and_truth(tmp_path):
    work_dir = tmp_path / 'work'
    options = [
        'model.generator.num_stages=1', 'model.generator.mid_channels=4',
        'model.generator.num_blocks=1', 'train_dataloader.batch_size=1',
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'train_dataloader.dataset.img_size=24', 'val_dataloader.num_workers=0',
        'val_dataloader.dataset.num_samples=3',
        # 24 pixels: the rain100h preset may leave a 16x16 crop dry.
        'val_dataloader.dataset.img_size=24', 'train_cfg.max_iters=1',
        'train_cfg.val_interval=1', 'default_hooks.visualization.num_samples=2'
    ]
    proc = subprocess.run([
        sys.executable,
        osp.join(ROOT, 'tools', 'train.py'), CONFIG, '--work-dir',
        str(work_dir), '--cfg-options', *options
    ],
                          cwd=ROOT,
                          capture_output=True,
                          text=True,
                          env=dict(os.environ, OMP_NUM_THREADS='1'))
    assert proc.returncode == 0, proc.stderr[-3000:]
    images = sorted(
        glob.glob(str(work_dir / '*' / 'vis_data' / 'vis_image' / '*.png')))
    assert len(images) == 2, images
    for path in images:
        assert osp.basename(path).endswith('_1.png')  # after iteration 1
        image = cv2.imread(path)
        # rainy input | prediction | ground truth, side by side
        assert image.shape == (24, 72, 3)
        left, right = image[:, :24].astype(int), image[:, 48:].astype(int)
        assert (left != right).any(), 'input and ground truth look the same'

    # The ground truth panel is the clean image in its true colours (the
    # models return BGR; a wrong `bgr2rgb` swaps red and blue).
    cfg = build_train_cfg(CONFIG)
    dataset = cfg.val_dataloader.dataset
    dataset.update(num_samples=3, img_size=24)
    sample = DATASETS.build(dataset)[0]['data_samples']
    assert osp.basename(images[0]) == (
        'set0_' + osp.splitext(osp.basename(sample.gt_path))[0] + '_1.png')
    clean_rgb = sample.gt_img.numpy().transpose(1, 2, 0).astype(int)
    saved_rgb = cv2.imread(images[0])[:, 48:, ::-1].astype(int)
    assert abs(saved_rgb - clean_rgb).max() <= 1


def test_tensorboard_switch(monkeypatch):
    cfg = build_train_cfg(CONFIG)
    assert cfg.tensorboard is False
    assert [b['type'] for b in cfg.visualizer.vis_backends
            ] == ['LocalVisBackend']

    # Without TensorBoard installed the switch names the package to install.
    monkeypatch.setitem(sys.modules, 'tensorboard', None)
    with pytest.raises(ImportError, match='pip install tensorboard'):
        build_train_cfg(CONFIG, cfg_options=dict(tensorboard=True))
    # With it, the config gets the backend (built by the Runner, not here).
    monkeypatch.setitem(sys.modules, 'tensorboard',
                        types.ModuleType('tensorboard'))
    cfg = build_train_cfg(CONFIG, cfg_options=dict(tensorboard=True))
    assert [b['type'] for b in cfg.visualizer.vis_backends
            ] == ['LocalVisBackend', 'TensorboardVisBackend']
