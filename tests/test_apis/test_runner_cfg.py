import logging
import os.path as osp
import re

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

import mmderain  # noqa: F401
from mmagic.registry import MODELS
from mmderain.apis import (build_test_cfg, build_train_cfg, dataset_folders,
                           drop_missing_optional_sets, enable_amp,
                           missing_set_notes, optional_eval_sets, runner_cfg)
from mmderain.apis.runner_cfg import ToolOptionError
from mmderain.engine.hooks import WeightMismatchError

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEMO = osp.join(ROOT, 'configs', 'prenet',
                'prenet_b4-p64_800i_rendered-rain100h.py')


@pytest.mark.parametrize('wrapper,expected', [
    ('OptimWrapper', 'AmpOptimWrapper'),
    ('AmpOptimWrapper', 'AmpOptimWrapper'),
    ('MaskedOptimWrapper', 'MaskedAmpOptimWrapper'),
])
def test_enable_amp_picks_counterpart(wrapper, expected):
    cfg = Config(dict(optim_wrapper=dict(type=wrapper, optimizer={})))
    enable_amp(cfg)
    assert cfg.optim_wrapper.type == expected


def test_enable_amp_rejects_unknown_wrapper():
    cfg = Config(dict(optim_wrapper=dict(type='NoSuchWrapper')))
    with pytest.raises(ValueError, match='NoSuchWrapper'):
        enable_amp(cfg)


def test_build_train_cfg_options(tmp_path):
    cfg = build_train_cfg(
        DEMO,
        work_dir=str(tmp_path),
        resume=True,
        cfg_options={'train_cfg.max_iters': 7})
    assert cfg.work_dir == str(tmp_path)
    assert cfg.resume is True and cfg.load_from is None
    assert cfg.train_cfg.max_iters == 7
    assert cfg.launcher == 'none'
    default = build_train_cfg(DEMO)
    assert default.work_dir == (
        './work_dirs/prenet_b4-p64_800i_rendered-rain100h')


def test_missing_files_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.py'):
        build_train_cfg(str(tmp_path / 'nope.py'))
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        build_train_cfg(DEMO, resume=str(tmp_path / 'missing.pth'))
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        build_test_cfg(DEMO, str(tmp_path / 'missing.pth'))


def test_build_test_cfg_adds_metrics_dump(tmp_path):
    ckpt = tmp_path / 'model.pth'
    ckpt.write_bytes(b'')
    cfg = build_test_cfg(DEMO, str(ckpt), out=str(tmp_path / 'm.json'))
    assert cfg.load_from == str(ckpt) and cfg.resume is False
    assert cfg.custom_hooks[-1] == dict(
        type='DumpMetricsHook', out_file=str(tmp_path / 'm.json'))


def test_amp_without_a_gpu_is_one_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(runner_cfg, 'get_device', lambda: 'cpu')
    with pytest.raises(ToolOptionError, match='^--amp needs a CUDA GPU'):
        build_train_cfg(DEMO, work_dir=str(tmp_path), amp=True)
    monkeypatch.setattr(runner_cfg, 'get_device', lambda: 'cuda')
    cfg = build_train_cfg(DEMO, work_dir=str(tmp_path), amp=True)
    assert cfg.optim_wrapper.type == 'AmpOptimWrapper'


def test_resume_needs_a_training_checkpoint(tmp_path):
    released = tmp_path / 'released.pth'
    torch.save(dict(meta=dict(converted_from='x.pth'), state_dict={}),
               released)
    with pytest.raises(
            ToolOptionError,
            match=re.escape(f'--resume {released}: not a training '
                            'checkpoint (it has no meta.epoch, meta.iter, '
                            'message_hub;')):
        build_train_cfg(DEMO, work_dir=str(tmp_path), resume=str(released))
    bare = tmp_path / 'bare.pth'
    torch.save({'generator.conv_in.weight': torch.ones(1)}, bare)
    with pytest.raises(ToolOptionError, match='load_from='):
        build_train_cfg(DEMO, work_dir=str(tmp_path), resume=str(bare))
    saved = tmp_path / 'iter_2.pth'
    torch.save(
        dict(meta=dict(epoch=0, iter=2), message_hub={}, state_dict={}),
        saved)
    cfg = build_train_cfg(DEMO, work_dir=str(tmp_path), resume=str(saved))
    assert cfg.resume is True and cfg.load_from == str(saved)


def _fit_hooks(cfg):
    return [h for h in cfg.custom_hooks if h['type'] == 'CheckpointFitHook']


def test_checkpoint_fit_hook_is_strict_for_testing(tmp_path):
    ckpt = tmp_path / 'model.pth'
    ckpt.write_bytes(b'')
    train = build_train_cfg(DEMO, work_dir=str(tmp_path))
    assert _fit_hooks(train) == [dict(type='CheckpointFitHook', strict=False)]
    test = build_test_cfg(DEMO, str(ckpt), work_dir=str(tmp_path))
    assert _fit_hooks(test) == [dict(type='CheckpointFitHook', strict=True)]
    partial = build_test_cfg(
        DEMO, str(ckpt), work_dir=str(tmp_path), strict=False)
    assert _fit_hooks(partial) == [
        dict(type='CheckpointFitHook', strict=False)
    ]


# The demo config at one stage of four channels, one image per split.
TINY = {
    'model.generator.num_stages': 1,
    'model.generator.mid_channels': 4,
    'model.generator.num_blocks': 1,
    'train_cfg.max_iters': 1,
    'default_hooks.visualization.num_samples': 0,
    **{
        f'{split}_dataloader.{key}': value
        for split in ('train', 'val', 'test')
        for key, value in (('batch_size', 1), ('num_workers', 0),
                           ('persistent_workers', False),
                           ('dataset.img_size', 32))
    },
    'val_dataloader.dataset.num_samples': 1,
    'test_dataloader.dataset.num_samples': 1,
}


def _tiny_checkpoint(path, cfg, drop=()):
    """Save the weights of ``cfg.model`` without the keys in ``drop``."""
    state = MODELS.build(cfg.model).state_dict()
    torch.save(
        dict(state_dict={k: v
                         for k, v in state.items() if k not in drop}), path)
    return str(path)


def test_runner_refuses_weights_that_do_not_fit(tmp_path):
    cfg = build_train_cfg(
        DEMO, work_dir=str(tmp_path / 'train'), cfg_options=TINY)
    partial = _tiny_checkpoint(
        tmp_path / 'partial.pth', cfg, drop=('generator.conv_out.bias', ))
    with pytest.raises(
            WeightMismatchError,
            match=re.escape(f'"{partial}" does not fit the model '
                            'BaseEditModel (generator PReNet)')):
        Runner.from_cfg(build_test_cfg(
            DEMO, partial, work_dir=str(tmp_path / 'test'),
            cfg_options=TINY)).test()
    # Fine-tuning takes the weights that fit, but not none of them.
    cfg.load_from = partial
    Runner.from_cfg(cfg).train()
    unrelated = tmp_path / 'unrelated.pth'
    torch.save(dict(state_dict={'encoder.weight': torch.ones(2)}), unrelated)
    cfg = build_train_cfg(
        DEMO,
        work_dir=str(tmp_path / 'tune'),
        cfg_options=dict(TINY, load_from=str(unrelated)))
    with pytest.raises(WeightMismatchError, match='0 of its 1 weights fit'):
        Runner.from_cfg(cfg).train()


def _metrics(name):
    return [dict(type='PSNR', prefix=f'{name}-Y')]


def _optional_cfg(real_root):
    """Two evaluation sets and an optional one reading ``real_root``."""
    loaders = [
        dict(batch_size=1, dataset=dict(type='RenderedRainDataset')),
        dict(
            batch_size=1,
            optional_name='real',
            dataset=dict(type='Rain100Dataset', data_root=real_root)),
        dict(
            batch_size=1,
            dataset=dict(type='TTLImageDataset', data_root='embedded')),
    ]
    evaluators = [_metrics(name) for name in ('rendered', 'real', 'emb')]
    return Config(
        dict(
            val_dataloader=loaders,
            val_evaluator=evaluators,
            val_cfg=dict(type='MultiValLoop'),
            test_dataloader=loaders,
            test_evaluator=evaluators,
            test_cfg=dict(type='MultiTestLoop'),
            # None removes one of mmengine's default hooks.
            default_hooks=dict(timer=None),
            custom_hooks=[
                dict(type='TeacherSnapshotHook'),
                dict(
                    type='SequenceEvalHook',
                    task_sets=['rendered'],
                    extra_sets=['real', 'emb'])
            ]))


@pytest.fixture
def logged(monkeypatch):
    messages = []
    monkeypatch.setattr(runner_cfg, 'print_log',
                        lambda msg, **kwargs: messages.append((msg, kwargs)))
    return messages


def test_present_optional_set_only_loses_its_marker(tmp_path, logged):
    cfg = _optional_cfg(str(tmp_path))
    assert optional_eval_sets(cfg) == {'real': [str(tmp_path)]}
    assert drop_missing_optional_sets(cfg) == []
    for split in ('val', 'test'):
        loaders = cfg[f'{split}_dataloader']
        assert len(loaders) == len(cfg[f'{split}_evaluator']) == 3
        assert all('optional_name' not in loader for loader in loaders)
        assert loaders[1].dataset.data_root == str(tmp_path)
    assert cfg.custom_hooks[1].extra_sets == ['real', 'emb']
    assert logged == []


def test_missing_optional_set_is_dropped_with_a_message(tmp_path, logged):
    missing = str(tmp_path / 'RainTrainL')
    cfg = _optional_cfg(missing)
    assert drop_missing_optional_sets(cfg) == ['real']
    for split in ('val', 'test'):
        assert [d.dataset.type for d in cfg[f'{split}_dataloader']
                ] == ['RenderedRainDataset', 'TTLImageDataset']
        assert [e[0].prefix for e in cfg[f'{split}_evaluator']
                ] == ['rendered-Y', 'emb-Y']
    assert cfg.custom_hooks[1].task_sets == ['rendered']
    assert cfg.custom_hooks[1].extra_sets == ['emb']
    # One message for the set, though both splits lost it.
    assert len(logged) == 1
    message, kwargs = logged[0]
    assert '"real"' in message and missing in message
    assert f'ln -s /path/to/RainTrainL {missing}' in message
    assert 'docs/en/datasets.md' in message
    assert kwargs['level'] == logging.WARNING


def test_lone_optional_loader_and_shared_evaluator(tmp_path, logged):
    loader = dict(
        optional_name='real',
        dataset=dict(
            type='ConcatDataset',
            datasets=[dict(data_root=str(tmp_path / 'nowhere'))]))
    cfg = Config(
        dict(
            val_dataloader=loader,
            val_evaluator=_metrics('real'),
            val_cfg=dict(type='ValLoop')))
    assert drop_missing_optional_sets(cfg) == ['real']
    assert cfg.val_dataloader is None and cfg.val_evaluator is None
    assert cfg.val_cfg is None
    # One evaluator (a list of metrics) shared by every loader stays whole.
    cfg = _optional_cfg(str(tmp_path / 'nowhere'))
    cfg.val_evaluator = _metrics('a') + _metrics('b') + _metrics('c')
    drop_missing_optional_sets(cfg)
    assert len(cfg.val_dataloader) == 2 and len(cfg.val_evaluator) == 3


def test_optional_task_sets_and_odd_evaluators_are_rejected(tmp_path):
    cfg = _optional_cfg(str(tmp_path))
    cfg.custom_hooks[1].task_sets = ['real']
    with pytest.raises(ValueError, match="'real'.*task set"):
        drop_missing_optional_sets(cfg)
    cfg = _optional_cfg(str(tmp_path))
    cfg.val_evaluator = cfg.val_evaluator[:2]
    with pytest.raises(ValueError, match='2 evaluators for 3'):
        drop_missing_optional_sets(cfg)


def test_dataset_folders_look_through_wrappers():
    dataset = dict(
        type='ConcatDataset',
        datasets=[
            dict(type='TTLImageDataset', data_root='data/photos'),
            dict(type='TTLImageDataset', data_root='embedded'),
            dict(
                type='RandomSubsetDataset',
                dataset=dict(
                    type='RenderedRainDataset', clean_source='data/clean')),
            dict(type='RenderedRainDataset', clean_source='embedded'),
        ])
    assert dataset_folders(dataset) == ['data/photos', 'data/clean']


def _optional_roots(roots):
    # The NR demo's optional sets are its loaders 5 (RainTrainL), 6
    # (RainTrainH) and 7 (real pairs from video).
    return {
        f'{split}_dataloader.{index}.dataset.data_root': str(root)
        for split in ('val', 'test') for index, root in enumerate(roots, 5)
    }


def test_build_train_cfg_drops_missing_optional_sets_of_nr_demo(
        tmp_path, logged):
    nr_demo = osp.join(ROOT, 'configs', 'nr',
                       'prenet_nr_demo_rendered_seq.py')
    cfg = build_train_cfg(
        nr_demo, cfg_options=_optional_roots([tmp_path / 'none'] * 3))
    # The sequence configs set the SequenceEvalHook in default_hooks.
    assert cfg.default_hooks.sequence_eval.extra_sets == ['rendered_heldout']
    assert len(cfg.val_dataloader) == len(cfg.val_evaluator) == 5
    names = ['public-raintrainl-heldout-c192', 'public-raintrainh-c192',
             'real-video-c192']
    assert len(logged) == 3
    for (message, _), name in zip(logged, names):
        assert f'"{name}" is left out' in message
    # The real set says how to make it, the public ones where to link them.
    assert 'ln -s' in logged[1][0] and 'video_to_pairs.py' not in logged[1][0]
    assert 'tools/dataset_converters/video_to_pairs.py VIDEO' in logged[2][0]
    # RainTrainH present, the others absent: only its column stays.
    cfg = build_train_cfg(
        nr_demo,
        cfg_options=_optional_roots(
            [tmp_path / 'none', tmp_path, tmp_path / 'none']))
    assert cfg.val_evaluator[5][0].prefix == 'public-raintrainh-c192-Y'
    assert cfg.default_hooks.sequence_eval.extra_sets == [
        'rendered_heldout', 'public-raintrainh-c192'
    ]
    for loader in cfg.test_dataloader:
        assert 'optional_name' not in loader
        assert 'optional_hint' not in loader


def test_missing_set_notes(tmp_path):
    config = tmp_path / 'run.py'
    config.write_text(
        "val_dataloader = [dict(optional_name='real', "
        "dataset=dict(data_root='data/RealRain'))]\n")
    notes = missing_set_notes({
        'A': str(config),
        'B': str(config)
    }, {
        'A': ['rendered', 'real'],
        'B': ['rendered']
    })
    assert notes == [
        'real was not evaluated in B: its data folder data/RealRain is '
        'missing. Link the data there (see docs/en/datasets.md) and rerun '
        'to get its column.'
    ]
    assert missing_set_notes({'A': str(config)}, {'A': ['real']}) == []
    # A set that says how to make its folder says it in the note too.
    config.write_text(
        "val_dataloader = [dict(optional_name='real', "
        "optional_hint='Make it with `make-real`.', "
        "dataset=dict(data_root='data/RealRain'))]\n")
    assert missing_set_notes({'B': str(config)}, {'B': ['rendered']}) == [
        'real was not evaluated in B: its data folder data/RealRain is '
        'missing. Make it with `make-real`. Rerun to get its column.'
    ]


def test_missing_set_notes_name_the_cause(tmp_path):
    present = tmp_path / 'RealRain'
    present.mkdir()
    configs = {}
    for label, folder in (('with', present), ('gone', tmp_path / 'gone')):
        configs[label] = tmp_path / f'{label}.py'
        configs[label].write_text(
            "val_dataloader = [dict(optional_name='real', "
            f"dataset=dict(data_root='{folder}'))]\n")
    configs['none'] = tmp_path / 'none.py'
    configs['none'].write_text('val_dataloader = [dict(dataset=dict())]\n')
    notes = missing_set_notes(
        {
            'A': str(configs['with']),
            'B': str(configs['none']),
            'C': str(configs['with']),
            'D': str(configs['gone']),
        }, {
            'A': ['rendered', 'real'],
            'B': ['rendered'],
            'C': ['rendered'],
            'D': ['rendered']
        })
    assert notes == [
        'real was not evaluated in B: its config declares no such set (only '
        'the configs of A, C, D do).',
        f'real was not evaluated in D: its data folder {tmp_path / "gone"} '
        'is missing. Link the data there (see docs/en/datasets.md) and '
        'rerun to get its column.',
        'real was not evaluated in C, although the config declares it and '
        f'its data folder {present} exists now: the run predates the set '
        '(the folder was missing, or the config lacked the set, when it '
        'ran). Rerun to get its column.'
    ]
