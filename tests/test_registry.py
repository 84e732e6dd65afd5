"""mmderain registers into mmagic's registries without clashing with it,
and its config scope resolves to the imported package."""
import json
import os.path as osp
import warnings

import pytest
from mmagic.registry import (DATASETS, HOOKS, LOOPS, METRICS, MODELS,
                             OPTIM_WRAPPERS, TRANSFORMS)
from mmengine.config.utils import MODULE2PACKAGE
from mmengine.utils import get_installed_path, is_installed
from tool_runs import run_tool

import mmderain
from mmderain import registry as mmderain_registry

REGISTRIES = dict(
    MODELS=MODELS,
    DATASETS=DATASETS,
    TRANSFORMS=TRANSFORMS,
    METRICS=METRICS,
    HOOKS=HOOKS,
    LOOPS=LOOPS,
    OPTIM_WRAPPERS=OPTIM_WRAPPERS)

# Run in a fresh interpreter so the registries hold mmagic (and mmengine)
# alone; names of parent registries count because a child's entry shadows them.
MMAGIC_NAMES = r'''
import json
from mmagic.utils import register_all_modules
register_all_modules(init_default_scope=False)
import mmagic.datasets, mmagic.engine, mmagic.evaluation, mmagic.models
import mmagic.registry as R
out = {}
for name in %s:
    reg, names = getattr(R, name), set()
    while reg is not None:
        names.update(reg.module_dict)
        reg = reg.parent
    out[name] = sorted(names)
print(json.dumps(out))
''' % sorted(REGISTRIES)


def ours(registry):
    return {
        name
        for name, cls in registry.module_dict.items()
        if getattr(cls, '__module__', '').startswith('mmderain')
    }


@pytest.mark.e2e
def test_no_name_clash_with_mmagic():
    proc = run_tool('-c', MMAGIC_NAMES)
    mmagic_names = json.loads(proc.stdout.strip().splitlines()[-1])
    assert len(mmagic_names['MODELS']) > 300  # mmagic really was imported
    for name, registry in REGISTRIES.items():
        clash = ours(registry) & set(mmagic_names[name])
        assert not clash, f'{name}: mmderain reuses mmagic names {clash}'


def test_our_modules_are_reachable_through_mmagic_registries():
    assert MODELS.get('PReNet').__module__.startswith('mmderain')
    assert MODELS.get('SSIMLoss').__module__.startswith('mmderain')
    # The public sets' readers that the dataset configs name.
    assert {
        'Rain100Dataset', 'Rain800Dataset', 'Rain1200Dataset',
        'Rain14000Dataset', 'SPADataset', 'RenderedRainDataset',
        # The former name of RenderedRainDataset, which names the new one.
        'SyntheticRainDataset'
    } <= ours(DATASETS)


def test_config_scope_resolves_to_the_imported_package():
    # What mmengine does with `_base_ = 'mmderain::...'`.
    package = MODULE2PACKAGE[mmderain_registry.SCOPE]
    assert is_installed(package)
    package_dir = osp.dirname(mmderain.__file__)
    assert get_installed_path(package) == package_dir
    assert mmderain_registry.MIM_DIR == osp.join(package_dir, '.mim')


def test_missing_mim_files_warn_how_to_restore_them(tmp_path, monkeypatch):
    (tmp_path / 'configs').mkdir()
    monkeypatch.setattr(mmderain_registry, 'MIM_DIR', str(tmp_path))
    with pytest.warns(UserWarning) as record:
        mmderain_registry.register_config_scope()
    message = str(record[0].message)
    assert f'{tmp_path} lacks tools, model-index.yml' in message
    assert '`git checkout -- mmderain/.mim`' in message
    (tmp_path / 'tools').mkdir()
    (tmp_path / 'model-index.yml').write_text('Import: []\n')
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        mmderain_registry.register_config_scope()
