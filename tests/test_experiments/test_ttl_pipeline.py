import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmagic.registry import MODELS
from mmengine.logging import MessageHub, MMLogger
from mmengine.registry import DefaultScope
from mmengine.runner import Runner
from mmengine.visualization import Visualizer

from mmderain.experiments import (comparison_notes, format_comparison_table,
                                  load_stage_chain, run_comparison,
                                  run_ttl_pipeline)
from mmderain.experiments.ttl_pipeline import build_stage_cfg

CONFIGS = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'ttl')
DEMO = osp.join(CONFIGS, 'aglf-vit_ttl-derain_demo_embedded.py')
V2_DEMO = osp.join(CONFIGS, 'aglf-vit_v2_demo_embedded.py')

# Two iterations per stage, no dataloader workers, two small test images
# per test set.
TINY = {
    'train_cfg.max_iters': 2,
    'train_dataloader.num_workers': 0,
    'train_dataloader.persistent_workers': False,
    'default_hooks.logger.interval': 1,
}
TINY_TEST = {}
for _i in range(3):
    TINY_TEST.update({
        f'test_dataloader.{_i}.num_workers': 0,
        f'test_dataloader.{_i}.dataset.num_samples': 2,
        f'test_dataloader.{_i}.dataset.img_size': 32,
    })


# The optional test sets: RainTrainL's held-out split, RainTrainH and the
# real pairs from video.
OPTIONAL_SETS = [
    'public-raintrainl-heldout-c192', 'public-raintrainh-c192',
    'real-video-c192'
]


def tiny_stages(public_root):
    """Tiny test sets; the optional ones (the 4th to 6th) all read from
    ``public_root``."""
    return dict(finetune={
        **TINY_TEST,
        **{
            f'test_dataloader.{index}.dataset.data_root': str(public_root)
            for index in (3, 4, 5)
        }
    })


@pytest.fixture
def public_root(tmp_path):
    """Two tiny pairs of RainTrainL's held-out split (ids 159-200)."""
    rng = np.random.default_rng(0)
    root = tmp_path / 'RainTrainL'
    root.mkdir()
    for i in (158, 159, 160):
        clean = rng.integers(0, 256, (24, 32, 3), np.uint8)
        cv2.imwrite(str(root / f'norain-{i}.png'), clean)
        cv2.imwrite(str(root / f'rain-{i}.png'), clean // 2 + 100)
    return root


@pytest.fixture(autouse=True)
def _clean_mmengine_globals():
    # One thread: two fight each other on a busy 2-core machine.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
    MMLogger._instance_dict.clear()
    Visualizer._instance_dict.clear()
    DefaultScope._instance_dict.clear()
    MessageHub._instance_dict.clear()


def test_stage_chain_of_the_demo():
    chain = load_stage_chain(DEMO)
    assert list(chain) == [
        'recognition', 'reconstruction', 'distillation', 'finetune'
    ]
    assert all(osp.isfile(path) for path in chain.values())
    assert chain['finetune'] == DEMO
    # Table 3's single-task variants fine-tune that task's encoder: no
    # distillation with one teacher.
    for task in ('recog', 'recon'):
        ablation = load_stage_chain(
            osp.join(CONFIGS,
                     f'aglf-vit_ttl-derain-{task}-only_demo_embedded.py'))
        assert list(ablation) == [
            'recognition' if task == 'recog' else 'reconstruction',
            'finetune'
        ]


def test_stage_chain_errors(tmp_path):
    with pytest.raises(ValueError, match='no `ttl_stages`'):
        load_stage_chain(V2_DEMO)
    with pytest.raises(FileNotFoundError, match='nowhere.py'):
        load_stage_chain(str(tmp_path / 'nowhere.py'))
    bad = tmp_path / 'bad.py'
    bad.write_text("ttl_stages = dict(recognition='missing_stage.py')\n")
    with pytest.raises(FileNotFoundError, match='missing_stage.py'):
        load_stage_chain(str(bad))
    bad.write_text("ttl_stages = dict(pretraining='x.py')\n")
    with pytest.raises(ValueError, match='pretraining'):
        load_stage_chain(str(bad))


def test_stages_are_wired_to_earlier_work_dirs(tmp_path):
    chain = load_stage_chain(DEMO)
    dirs = dict(recognition='w/recog', reconstruction='w/recon')
    cfg = build_stage_cfg('distillation', chain['distillation'],
                          str(tmp_path), dirs)
    assert cfg.model.recognition_checkpoint == 'w/recog'
    assert cfg.model.reconstruction_checkpoint == 'w/recon'
    assert cfg.work_dir == str(tmp_path)
    cfg = build_stage_cfg('finetune', DEMO, str(tmp_path),
                          dict(distillation='w/distill'))
    assert cfg.model.encoder_checkpoint == 'w/distill'
    # With one transfer task, the fine-tuning reads that task's stage.
    recon_only = osp.join(CONFIGS,
                          'aglf-vit_ttl-derain-recon-only_demo_embedded.py')
    cfg = build_stage_cfg('finetune', recon_only, str(tmp_path),
                          dict(reconstruction='w/recon'))
    assert cfg.model.encoder_checkpoint == 'w/recon'
    assert cfg.model.encoder_prefix == 'generator.encoder.'


def test_comparison_table():
    results = {
        'ttl': {
            'a-Y/PSNR': 30.123,
            'a-Y/SSIM': 0.91234,
            'b-Y/PSNR': 25.0,
            'b-Y/SSIM': 0.8,
            'a-RGB/PSNR': 1.0,
            'train_time_s': 90.0
        },
        'v2': {
            'a-Y/PSNR': 29.0,
            'a-Y/SSIM': 0.9
        },
    }
    assert format_comparison_table(results).splitlines() == [
        '| Method | a PSNR/SSIM (Y) | b PSNR/SSIM (Y) | Train time |',
        '|---|---|---|---|',
        '| ttl | 30.12/0.9123 | 25.00/0.8000 | 1.5 min |',
        '| v2 | 29.00/0.9000 | n/a | n/a |',
    ]


@pytest.mark.e2e
def test_tiny_end_to_end_run_of_all_stages(tmp_path, public_root):
    work_dir = tmp_path / 'work'
    metrics = run_ttl_pipeline(
        DEMO,
        str(work_dir),
        TINY,
        test=True,
        stage_options=tiny_stages(public_root))
    for name in ['rendered-rain14000', 'rendered-rain800', 'rendered-heldout'
                 ] + OPTIONAL_SETS:
        assert metrics[f'{name}-Y/PSNR'] > 0
        assert 0 < metrics[f'{name}-Y/SSIM'] <= 1
    assert metrics['train_time_s'] > 0
    state = {}
    for stage in ('recognition', 'reconstruction', 'distillation',
                  'finetune'):
        assert osp.isfile(work_dir / stage / 'last_checkpoint')
        state[stage] = torch.load(
            work_dir / stage / 'iter_2.pth', map_location='cpu')['state_dict']
    # The teachers are the earlier stages' weights, and the fine-tuning
    # started from the distilled student.
    teacher = 'teachers.recognition.encoder.conv_first.weight'
    assert torch.equal(state['distillation'][teacher],
                       state['recognition']['encoder.conv_first.weight'])
    teacher = 'teachers.reconstruction.decoder.conv_last.weight'
    assert torch.equal(
        state['distillation'][teacher],
        state['reconstruction']['generator.decoder.conv_last.weight'])
    assert 'student.conv_first.weight' in state['distillation']
    # Fine-tuning starts from the distilled student: its model, wired and
    # initialised as the pipeline does, holds the student's encoder.
    finetune = build_stage_cfg(
        'finetune', DEMO, str(tmp_path / 'probe'),
        {stage: str(work_dir / stage)
         for stage in ('recognition', 'reconstruction', 'distillation')},
        TINY, tiny_stages(public_root))
    model = MODELS.build(finetune.model)
    model.init_weights()
    encoder = model.generator.encoder.state_dict()
    assert encoder
    for key, value in encoder.items():
        assert torch.equal(value, state['distillation']['student.' + key]), key


@pytest.mark.e2e
def test_tiny_single_task_ablation_fine_tunes_that_encoder(
        tmp_path, public_root):
    config = osp.join(CONFIGS,
                      'aglf-vit_ttl-derain-recog-only_demo_embedded.py')
    work_dir = tmp_path / 'work'
    run_ttl_pipeline(config, str(work_dir), TINY,
                     stage_options=tiny_stages(public_root))
    assert not osp.exists(work_dir / 'distillation')
    recog = torch.load(
        work_dir / 'recognition' / 'iter_2.pth',
        map_location='cpu')['state_dict']
    # The fine-tuning starts from E_recog (its checkpoints have moved
    # already): rebuild its model as the pipeline did and initialise it.
    cfg = build_stage_cfg('finetune', config, str(tmp_path / 'rebuilt'),
                          dict(recognition=str(work_dir / 'recognition')),
                          TINY)
    model = Runner.from_cfg(cfg).model
    model.init_weights()
    start = model.state_dict()
    assert torch.equal(start['generator.encoder.conv_first.weight'],
                       recog['encoder.conv_first.weight'])


@pytest.mark.e2e
def test_comparison_runs_v2_alone_without_optional_data(tmp_path,
                                                        monkeypatch):
    # No public or real data: those test sets are left out, and the table
    # says so. In tmp_path the configs' data/ folders are missing too.
    monkeypatch.chdir(tmp_path)
    stages = tiny_stages(tmp_path / 'no_data')
    results = run_comparison([V2_DEMO], str(tmp_path), TINY, stages)
    metrics = results['aglf-vit_v2_demo_embedded']
    assert metrics['rendered-heldout-Y/PSNR'] > 0
    assert not any(
        key.startswith(name) for key in metrics for name in OPTIONAL_SETS)
    assert not osp.exists(tmp_path / 'aglf-vit_v2_demo_embedded' /
                          'recognition')
    notes = comparison_notes([V2_DEMO], results)
    link = ('Link the data there (see docs/en/datasets.md) and rerun to get '
            'its column.')
    assert notes[:2] == [
        f'{name} was not evaluated in aglf-vit_v2_demo_embedded: its data '
        f'folder data/{folder} is missing. {link}'
        for name, folder in zip(OPTIONAL_SETS, ('RainTrainL', 'RainTrainH'))
    ]
    assert notes[2].startswith(
        'real-video-c192 was not evaluated in aglf-vit_v2_demo_embedded: its '
        'data folder data/real_video_pairs is missing. Make these real')
    assert 'video_to_pairs.py VIDEO data/real_video_pairs' in notes[2]
    assert len(notes) == 3
    table = format_comparison_table(results, notes=notes)
    for name in OPTIONAL_SETS:
        assert f'{name} PSNR' not in table.splitlines()[0]
    assert table.splitlines()[-3:] == ['Note: ' + note for note in notes]


def test_missing_training_photos_stop_the_pipeline_first(tmp_path):
    missing = str(tmp_path / 'real_rainy_photos')
    photos = osp.join(CONFIGS, 'aglf-vit_ttl-derain_demo_realphotos.py')
    present = tmp_path / 'photos'
    present.mkdir()
    stages = dict(
        recognition={
            'train_dataloader.dataset.datasets.0.data_root': str(present)
        },
        distillation={'train_dataloader.dataset.data_root': missing})
    with pytest.raises(FileNotFoundError, match="'distillation'.*" + missing):
        run_ttl_pipeline(photos, str(tmp_path / 'work'), TINY,
                         stage_options=stages)
    # Nothing was trained.
    assert not osp.exists(tmp_path / 'work')
