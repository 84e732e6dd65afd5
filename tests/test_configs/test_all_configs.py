"""Every config under configs/ loads and builds its model."""
import glob
import os.path as osp

import pytest
import yaml
from mmengine.config import Config
from mmengine.registry import init_default_scope

import mmderain  # noqa: F401
from mmagic.registry import MODELS

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = sorted(
    p for p in glob.glob(osp.join(ROOT, 'configs', '**', '*.py'),
                         recursive=True)
    if '_base_' not in p.split(osp.sep))


def check_config(path):
    """Load ``path`` as a user's run would and build its model."""
    cfg = Config.fromfile(path)
    assert cfg.default_scope == 'mmagic', path
    assert 'mmderain' in cfg.custom_imports['imports'], path
    init_default_scope(cfg.default_scope)
    model = MODELS.build(cfg.model)
    assert type(model) is MODELS.get(cfg.model.type), path
    if 'generator' in cfg.model:
        assert type(model.generator) is MODELS.get(
            cfg.model.generator.type), path


def test_every_indexed_config_is_checked():
    # The model index (read from model-index.yml, not from the folders)
    # names each run config once; the glob above must find exactly those,
    # so a config in a folder it misses is not left unchecked.
    with open(osp.join(ROOT, 'model-index.yml')) as f:
        metafiles = yaml.safe_load(f)['Import']
    indexed = []
    for metafile in metafiles:
        with open(osp.join(ROOT, metafile)) as f:
            indexed += [m['Config'] for m in yaml.safe_load(f)['Models']]
    assert sorted(indexed) == [osp.relpath(p, ROOT) for p in CONFIGS]


@pytest.mark.parametrize(
    'path', CONFIGS, ids=[osp.relpath(p, ROOT) for p in CONFIGS])
def test_config_builds_model(path):
    check_config(path)


BROKEN = {
    'an unknown model type': "model = dict(type='NoSuchDerainer')",
    'an unknown generator type':
    "model = dict(generator=dict(_delete_=True, type='NoSuchNet'))",
    'a missing mmderain import':
    "custom_imports = dict(_delete_=True, imports=['mmagic.models'])",
}


@pytest.mark.parametrize('change', BROKEN.values(), ids=list(BROKEN))
def test_a_broken_config_fails_the_check(tmp_path, change):
    config = tmp_path / 'broken.py'
    config.write_text(f'_base_ = [{CONFIGS[0]!r}]\n{change}\n')
    with pytest.raises((AssertionError, KeyError)):
        check_config(str(config))
