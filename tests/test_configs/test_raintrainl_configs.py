"""The RainTrainL run, its rendered twin and the demos read what they claim.

Built over the committed crops of RainTrainL pairs (tests/data), which
keep the release's names: ids 7, 12 and 100 fall in the training split, 160 in
the held-out split.
"""
import copy
import os.path as osp

from mmengine.config import Config

from mmagic.registry import DATASETS
from mmderain.apis import drop_missing_optional_sets

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CROPS = osp.join(ROOT, 'tests', 'data', 'RainTrainL')
PUBLIC = osp.join(ROOT, 'configs', 'prenet',
                  'prenet_b4-p64_1200i_raintrainl.py')
TWIN = osp.join(ROOT, 'configs', 'prenet',
                'prenet_b4-p64_1200i_rendered-rain100l.py')
SHORT_DEMO = osp.join(ROOT, 'configs', 'prenet',
                      'prenet_b4-p64_800i_rendered-mix.py')
DEMO = osp.join(ROOT, 'configs', 'prenet',
                'prenet_b4-p64_1600i_rendered-mix.py')


def on_crops(dataset_cfg, **overrides):
    """A dataset config pointed from data/RainTrainL at the crops."""
    cfg = copy.deepcopy(dataset_cfg)
    source = cfg.get('clean_source')
    target = source if isinstance(source, dict) else cfg
    assert target['data_root'] == 'data/RainTrainL'
    target['data_root'] = CROPS
    cfg.update(overrides)
    return cfg


def ids(dataset):
    return [
        int(dataset.get_data_info(i)['key'].split('-')[1])
        for i in range(len(dataset))
    ]


def test_public_run_trains_on_the_training_split_and_tests_on_the_rest():
    cfg = Config.fromfile(PUBLIC)
    train = DATASETS.build(on_crops(cfg.train_dataloader.dataset))
    test = DATASETS.build(on_crops(cfg.val_dataloader.dataset))
    assert ids(train) == [7, 12, 100]
    assert ids(test) == [160]
    assert cfg.test_dataloader == cfg.val_dataloader
    assert cfg.train_cfg.max_iters == 1200
    assert cfg.param_scheduler.milestones == [360, 600, 960]


def test_twin_renders_rain_over_the_same_clean_images_only():
    public, twin = Config.fromfile(PUBLIC), Config.fromfile(TWIN)
    # Everything but the training set is the RainTrainL run's.
    for key in ('model', 'optim_wrapper', 'param_scheduler', 'train_cfg',
                'val_dataloader', 'val_evaluator', 'randomness'):
        assert twin[key] == public[key], key
    for key in ('batch_size', 'sampler', 'num_workers'):
        assert twin.train_dataloader[key] == public.train_dataloader[key]
    # The crops are 48x32 (32x48): render 32x32 patches of them.
    rendered = DATASETS.build(
        on_crops(twin.train_dataloader.dataset, img_size=32, test_mode=True))
    public_train = DATASETS.build(on_crops(public.train_dataloader.dataset))
    names = [
        rendered.get_data_info(i)['clean_name'] for i in range(len(rendered))
    ]
    public_names = [
        osp.splitext(osp.basename(public_train.get_data_info(i)['gt_path']))[0]
        for i in range(len(public_train))
    ]
    # Samples cycle over exactly the training split's clean images.
    assert names[:len(public_names)] == public_names
    assert set(names) == set(public_names) == {
        'norain-7', 'norain-12', 'norain-100'
    }
    assert rendered.preset_name == 'rain100l'
    assert not rendered.random_scale
    assert rendered.img_size == (32, 32)
    pairs = [rendered.render_pair(i)[:2] for i in range(3)]
    assert all((rainy >= clean).all() for rainy, clean in pairs)
    assert any((rainy > clean).any() for rainy, clean in pairs)


def test_demo_mixes_four_styles_and_scores_optional_sets_when_present(
        tmp_path):
    cfg = Config.fromfile(DEMO)
    datasets = cfg.train_dataloader.dataset.datasets
    assert [d.preset for d in datasets] == [
        'rain100l', 'rain100h', 'rain800', 'rain14000'
    ]
    assert {d.num_samples for d in datasets} == {250}
    assert len(cfg.val_dataloader) == len(cfg.val_evaluator) == 6
    optional = [
        'public-raintrainl-heldout', 'public-raintrainh', 'real-video-c512'
    ]
    assert [e[0].prefix for e in cfg.val_evaluator[3:]
            ] == [f'{name}-Y' for name in optional]
    public = cfg.val_dataloader[3].dataset
    assert public.id_range == (159, 200)
    # The public sets at full size; the video frames on their centre.
    for loader in cfg.val_dataloader[3:5]:
        assert [t.type for t in loader.dataset.pipeline] == [
            'LoadImageFromFile', 'LoadImageFromFile', 'PackInputs'
        ]
    crop = cfg.val_dataloader[5].dataset.pipeline[2]
    assert crop.type == 'PairedCenterCrop' and crop.crop_size == (512, 512)
    # Without the data the demo still runs, on the rendered sets only.
    for loader in cfg.val_dataloader[3:]:
        loader.dataset.data_root = str(tmp_path / 'absent')
    assert drop_missing_optional_sets(cfg) == optional
    assert len(cfg.val_dataloader) == len(cfg.val_evaluator) == 3


def test_demo_is_the_short_recipe_with_its_schedule_scaled_to_1600():
    demo, short = Config.fromfile(DEMO), Config.fromfile(SHORT_DEMO)
    assert demo.train_cfg.max_iters == demo.train_cfg.val_interval == 1600
    assert demo.default_hooks.checkpoint.interval == 1600
    assert demo.param_scheduler.milestones == [480, 800, 1280]
    assert short.param_scheduler.milestones == [240, 400, 640]
    # Data, model, loss and evaluation are the short recipe's.
    demo, short = demo.to_dict(), short.to_dict()
    assert set(demo) == set(short)
    assert {k for k in demo if demo[k] != short[k]} == {
        'train_iters', 'train_cfg', 'param_scheduler', 'default_hooks',
        'experiment_name', 'work_dir'
    }
