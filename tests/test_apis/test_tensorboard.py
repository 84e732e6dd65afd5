"""The configs' ``tensorboard = True`` switch end to end: a tiny training
run writes a TensorBoard event file holding the losses, the learning
rate, the validation metrics and the validation images."""
import glob
import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine.runner import Runner
from tensorboard.backend.event_processing.event_accumulator import \
    EventAccumulator

from mmderain.apis.runner_cfg import build_train_cfg

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'configs', 'prenet',
                  'prenet_b4-p64_800i_rendered-rain100h.py')
TINY = {
    # mmengine hands a Runner the visualizer already built under the same
    # experiment name and second; other tests train this config too.
    'experiment_name': 'test_tensorboard',
    'tensorboard': True,
    'model.generator.num_stages': 1,
    'model.generator.mid_channels': 4,
    'model.generator.num_blocks': 1,
    'train_dataloader.batch_size': 1,
    'train_dataloader.num_workers': 0,
    'train_dataloader.persistent_workers': False,
    'train_dataloader.dataset.img_size': 24,
    'val_dataloader.num_workers': 0,
    'val_dataloader.dataset.num_samples': 3,
    'val_dataloader.dataset.img_size': 16,
    'train_cfg.max_iters': 2,
    'train_cfg.val_interval': 2,
    'default_hooks.logger.interval': 1,
    'default_hooks.checkpoint.interval': 2,
    'default_hooks.visualization.num_samples': 2,
}


@pytest.mark.e2e
def test_tensorboard_event_file_has_scalars_and_images(tmp_path):
    cfg = build_train_cfg(
        CONFIG, work_dir=str(tmp_path / 'work'), cfg_options=TINY)
    Runner.from_cfg(cfg).train()

    events = glob.glob(
        str(tmp_path / 'work' / '*' / 'vis_data' / 'events.out.tfevents.*'))
    assert len(events) == 1, events
    acc = EventAccumulator(events[0], size_guidance={'images': 0})
    acc.Reload()
    scalars = acc.Tags()['scalars']
    for tag in ('loss', 'lr', 'Y/PSNR', 'Y/SSIM', 'RGB/PSNR'):
        assert tag in scalars, scalars
    assert [e.step for e in acc.Scalars('loss')] == [1, 2]
    lr = cfg.optim_wrapper.optimizer.lr
    assert [e.value for e in acc.Scalars('lr')] == pytest.approx([lr, lr])
    psnr = acc.Scalars('Y/PSNR')
    assert [e.step for e in psnr] == [2] and 0 < psnr[0].value < 100

    # The fixed samples of the validation at iteration 2: rainy input,
    # prediction and ground truth side by side.
    images = acc.Tags()['images']
    assert len(images) == 2, images
    vis_data = osp.dirname(events[0])
    for tag in images:
        assert tag.startswith('set0_')
        (image, ) = acc.Images(tag)
        assert image.step == 2
        assert (image.width, image.height) == (48, 16)
        # The same picture as the local backend's file.
        decoded = cv2.imdecode(
            np.frombuffer(image.encoded_image_string, np.uint8),
            cv2.IMREAD_COLOR)
        saved = cv2.imread(osp.join(vis_data, 'vis_image', f'{tag}_2.png'))
        assert saved is not None
        assert np.array_equal(decoded, saved)
