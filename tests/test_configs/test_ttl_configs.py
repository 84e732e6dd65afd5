"""The TTL stage configs: data, handover between stages, learning rates."""
import glob
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.optim import build_optim_wrapper

from mmagic.registry import DATASETS, MODELS
from mmderain.experiments import load_stage_chain

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TTL = osp.join(ROOT, 'configs', 'ttl')
FINETUNE = sorted(
    glob.glob(osp.join(TTL, '*derain*.py')) +
    glob.glob(osp.join(TTL, '*_v2_*.py')))
PIPELINES = [p for p in FINETUNE if '_v2_' not in p]
SMALL = dict(mid_channels=8, num_blocks=1, num_heads=2)


def load(name):
    return Config.fromfile(osp.join(TTL, name))


def test_every_stage_has_a_real_and_a_demo_config():
    names = {osp.basename(p) for p in glob.glob(osp.join(TTL, '*.py'))}
    real = {n for n in names if n.endswith('_realrain.py') or
            n.endswith('_realclear.py') or n.endswith('_rain1200.py')}
    demo = {n for n in names if n.endswith('_demo_embedded.py')}
    photos = {n for n in names if n.endswith('_demo_realphotos.py')}
    assert len(real) == len(demo) == 7
    # The stages that read rainy photos, and the fine-tuning that uses them.
    assert photos == {
        f'aglf-vit_ttl-{stage}_demo_realphotos.py'
        for stage in ('recog', 'distill', 'derain')
    }
    assert real | demo | photos == names


@pytest.mark.parametrize(
    'path', PIPELINES, ids=[osp.basename(p) for p in PIPELINES])
def test_each_stage_reads_the_work_dirs_of_its_chain(path):
    chain = load_stage_chain(path)
    cfgs = {name: Config.fromfile(p) for name, p in chain.items()}
    teachers = [t for t in ('recognition', 'reconstruction') if t in cfgs]
    finetune = cfgs['finetune'].model
    if len(teachers) == 1:
        # Table 3's single-task variants: that encoder, not distilled.
        assert 'distillation' not in cfgs
        assert finetune.encoder_checkpoint == cfgs[teachers[0]].work_dir
        assert finetune.encoder_prefix == {
            'recognition': 'encoder.',
            'reconstruction': 'generator.encoder.'
        }[teachers[0]]
        return
    distill = cfgs['distillation'].model
    for teacher in teachers:
        assert distill[f'{teacher}_checkpoint'] == cfgs[teacher].work_dir
    assert distill.recog_head is not None
    assert distill.recon_decoder is not None
    assert finetune.encoder_checkpoint == cfgs['distillation'].work_dir
    assert finetune.encoder_prefix == 'student.'


@pytest.mark.parametrize(
    'path, encoder_lr',
    [(p, 4e-4 if '_v2_' in p else 4e-5) for p in FINETUNE],
    ids=[osp.basename(p) for p in FINETUNE])
def test_finetuning_learning_rates(path, encoder_lr):
    cfg = Config.fromfile(path)
    cfg.model.generator.encoder.update(SMALL)
    model = MODELS.build(cfg.model)
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    lr = {}
    for group in wrapper.optimizer.param_groups:
        lr.update({id(p): group['lr'] for p in group['params']})
    assert {lr[id(p)] for p in model.generator.decoder.parameters()} == {4e-4}
    for param in model.generator.encoder.parameters():
        assert lr[id(param)] == pytest.approx(encoder_lr)
    assert cfg.param_scheduler.type == 'LossPlateauLR'
    assert cfg.param_scheduler.factor == 0.5
    names = [e[0]['prefix'][:-2] for e in cfg.test_evaluator]
    if 'demo' in path:
        assert len(names) == len(cfg.test_dataloader) == 6
        optional = [
            'public-raintrainl-heldout-c192', 'public-raintrainh-c192',
            'real-video-c192'
        ]
        assert names[-4:] == ['rendered-heldout'] + optional
        loaders = cfg.test_dataloader[-3:]
        assert [loader.optional_name for loader in loaders] == optional
        assert [loader.dataset.data_root for loader in loaders] == [
            'data/RainTrainL', 'data/RainTrainH', 'data/real_video_pairs'
        ]
        assert {loader.batch_size for loader in loaders} == {1}
        assert tuple(loaders[0].dataset.id_range) == (159, 200)
    else:
        assert len(names) == len(cfg.test_dataloader)
        assert names[-1] == 'spa'


def test_v2_trains_from_scratch_on_the_same_pairs():
    ttl = load('aglf-vit_ttl-derain_demo_embedded.py')
    v2 = load('aglf-vit_v2_demo_embedded.py')
    assert v2.model.encoder_checkpoint is None
    assert v2.get('ttl_stages') is None
    assert v2.train_dataloader == ttl.train_dataloader
    assert v2.train_cfg == ttl.train_cfg
    assert v2.model.generator == ttl.model.generator


def test_demo_recognition_data_labels_rainy_and_clear_photos():
    cfg = load('aglf-vit_ttl-recog_demo_embedded.py')
    cfg.train_dataloader.dataset.datasets[0].num_samples = 2
    cfg.train_dataloader.dataset.datasets[1].num_samples = 2
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    rainy, clear = dataset[0], dataset[3]
    assert rainy['inputs'].shape == (3, 64, 64)
    assert rainy['data_samples'].gt_label.label.tolist() == [0]
    assert clear['data_samples'].gt_label.label.tolist() == [1]
    # the clear input is the clean photo itself; the rainy one is not
    assert torch.equal(clear['inputs'], clear['data_samples'].gt_img)
    assert not torch.equal(rainy['inputs'], rainy['data_samples'].gt_img)


def test_demo_reconstruction_and_distillation_data():
    recon = load('aglf-vit_ttl-recon_demo_embedded.py')
    item = DATASETS.build(recon.train_dataloader.dataset)[0]
    blurred = item['inputs'].float()
    clear = item['data_samples'].gt_img.float()
    assert blurred.shape == clear.shape == (3, 64, 64)
    assert blurred.diff(dim=-1).abs().mean() < clear.diff(dim=-1).abs().mean()
    distill = load('aglf-vit_ttl-distill_demo_embedded.py')
    dataset = DATASETS.build(distill.train_dataloader.dataset)
    assert dataset.preset_name == 'heldout'
    assert dataset[0]['inputs'].shape == (3, 64, 64)


def test_demo_finetuning_pairs_are_a_fixed_minority():
    cfg = load('aglf-vit_ttl-derain_demo_embedded.py')
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    assert len(dataset) == 24
    first = dataset[5]['data_samples'].gt_img.numpy()
    again = dataset[5]['data_samples'].gt_img.numpy()
    # fixed crop (up to the horizontal flip augmentation)
    assert np.array_equal(first, again) or np.array_equal(
        first, again[..., ::-1])
    # the synthetic fine-tuning rain is not the held-out "real" style
    assert dataset.dataset.preset_name == 'rain14000'


def test_real_data_configs_point_at_the_documented_folders():
    recog = load('aglf-vit_ttl-recog_100k_realrain.py')
    roots = [d.data_root for d in recog.train_dataloader.dataset.datasets]
    labels = [d.label for d in recog.train_dataloader.dataset.datasets]
    assert roots == ['data/RealRain', 'data/RealClear'] and labels == [0, 1]
    recon = load('aglf-vit_ttl-recon_100k_realclear.py')
    assert recon.train_dataloader.dataset.data_root == 'data/RealClear'
    assert recon.train_dataloader.dataset.key == 'gt'
    derain = load('aglf-vit_ttl-derain_100k_rain1200.py')
    assert derain.train_dataloader.dataset.fraction == 0.5
    crop = derain.train_dataloader.dataset.dataset.pipeline[3]
    assert crop.type == 'PairedRandomCrop' and crop.gt_patch_size == 256
    assert recog.model.encoder.num_blocks == 9


def test_real_data_pipelines_on_tiny_folders(tmp_path):
    rng = np.random.default_rng(0)
    for folder in ('RealRain', 'RealClear'):
        (tmp_path / folder).mkdir()
        image = rng.integers(0, 256, (260, 270, 3), np.uint8)
        cv2.imwrite(str(tmp_path / folder / 'a.png'), image)
    recog = load('aglf-vit_ttl-recog_100k_realrain.py')
    for sub in recog.train_dataloader.dataset.datasets:
        sub.data_root = str(tmp_path / osp.basename(sub.data_root))
    item = DATASETS.build(recog.train_dataloader.dataset)[1]
    assert item['inputs'].shape == (3, 256, 256)
    assert item['data_samples'].gt_label.label.tolist() == [1]
    recon = load('aglf-vit_ttl-recon_100k_realclear.py')
    recon.train_dataloader.dataset.data_root = str(tmp_path / 'RealClear')
    item = DATASETS.build(recon.train_dataloader.dataset)[0]
    assert item['inputs'].shape == item['data_samples'].gt_img.shape == (
        3, 256, 256)
    assert not torch.equal(item['inputs'], item['data_samples'].gt_img)


def _is_window(patch, photo):
    size = patch.shape[0]
    ys, xs = np.nonzero((photo == patch[0, 0]).all(-1))
    return any(
        np.array_equal(photo[y:y + size, x:x + size], patch)
        for y, x in zip(ys, xs))


def write_photos(folder, sizes):
    folder.mkdir()
    rng = np.random.default_rng(0)
    for i, (h, w) in enumerate(sizes):
        cv2.imwrite(
            str(folder / f'real_rainy_{i}.jpg'),
            rng.integers(0, 256, (h, w, 3), np.uint8))
    return str(folder)


def test_realphotos_demo_reads_real_rainy_photos(tmp_path):
    root = write_photos(tmp_path / 'photos', [(90, 120), (300, 200)])
    recog = load('aglf-vit_ttl-recog_demo_realphotos.py')
    rainy, clear = recog.train_dataloader.dataset.datasets
    assert rainy.data_root == 'data/real_rainy_photos'
    assert (rainy.label, clear.label) == (0, 1)
    assert clear.data_root == 'embedded' and clear.split == 'train'
    # As often real rainy as rain-free patches.
    assert rainy.num_samples == clear.num_samples == 700
    rainy.data_root = root
    rainy.num_samples = clear.num_samples = 3
    dataset = DATASETS.build(recog.train_dataloader.dataset)
    items = [dataset[i] for i in range(6)]
    assert [int(i['data_samples'].gt_label.label) for i in items
            ] == [0, 0, 0, 1, 1, 1]
    assert all(i['inputs'].shape == (3, 64, 64) for i in items)
    # Real and embedded photos batch together (same data sample keys).
    model = MODELS.build(recog.model)
    batch = model.data_preprocessor(pseudo_collate(items), True)
    assert batch['inputs'].shape == (6, 3, 64, 64)
    assert batch['data_samples'].gt_label.label.flatten().tolist() == [
        0, 0, 0, 1, 1, 1
    ]

    distill = load('aglf-vit_ttl-distill_demo_realphotos.py')
    assert distill.model.recognition_checkpoint == recog.work_dir
    assert distill.model.reconstruction_checkpoint == load(
        'aglf-vit_ttl-recon_demo_embedded.py').work_dir
    distill.train_dataloader.dataset.data_root = root
    dataset = DATASETS.build(distill.train_dataloader.dataset)
    assert len(dataset) == 700
    item = dataset[1]
    # A 64x64 patch of the 300x200 photo at native resolution: a window of
    # the photo (up to the horizontal flip), not a shrunk photo.
    photo = cv2.imread(osp.join(root, 'real_rainy_1.jpg'))[..., ::-1]
    patch = item['inputs'].numpy().transpose(1, 2, 0)
    assert _is_window(patch, photo) or _is_window(patch[:, ::-1], photo)


def test_realphotos_demo_without_its_folder_is_an_error(tmp_path):
    recog = load('aglf-vit_ttl-recog_demo_realphotos.py')
    missing = str(tmp_path / 'real_rainy_photos')
    recog.train_dataloader.dataset.datasets[0].data_root = missing
    with pytest.raises(FileNotFoundError, match=missing):
        DATASETS.build(recog.train_dataloader.dataset)


def test_realphotos_finetuning_matches_the_embedded_demo():
    photos = load('aglf-vit_ttl-derain_demo_realphotos.py')
    embedded = load('aglf-vit_ttl-derain_demo_embedded.py')
    v2 = load('aglf-vit_v2_demo_embedded.py')
    for key in ('train_dataloader', 'train_cfg', 'test_dataloader',
                'test_evaluator', 'optim_wrapper'):
        assert photos[key] == embedded[key], key
    assert photos.test_dataloader == v2.test_dataloader
    assert photos.model.encoder_checkpoint == load(
        'aglf-vit_ttl-distill_demo_realphotos.py').work_dir
    chain = load_stage_chain(
        osp.join(TTL, 'aglf-vit_ttl-derain_demo_realphotos.py'))
    assert [osp.basename(p) for p in chain.values()] == [
        'aglf-vit_ttl-recog_demo_realphotos.py',
        'aglf-vit_ttl-recon_demo_embedded.py',
        'aglf-vit_ttl-distill_demo_realphotos.py',
        'aglf-vit_ttl-derain_demo_realphotos.py',
    ]
