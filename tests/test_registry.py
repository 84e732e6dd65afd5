"""mmderain registers into mmagic's registries without clashing with it."""
import json
import subprocess
import sys

import mmderain  # noqa: F401
from mmagic.registry import (DATASETS, HOOKS, LOOPS, METRICS, MODELS,
                             OPTIM_WRAPPERS, TRANSFORMS)

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


def test_no_name_clash_with_mmagic():
    proc = subprocess.run([sys.executable, '-c', MMAGIC_NAMES],
                          capture_output=True,
                          text=True,
                          check=True)
    mmagic_names = json.loads(proc.stdout.strip().splitlines()[-1])
    assert len(mmagic_names['MODELS']) > 300  # mmagic really was imported
    for name, registry in REGISTRIES.items():
        clash = ours(registry) & set(mmagic_names[name])
        assert not clash, f'{name}: mmderain reuses mmagic names {clash}'


def test_our_modules_are_reachable_through_mmagic_registries():
    assert MODELS.get('PReNet').__module__.startswith('mmderain')
    assert MODELS.get('SSIMLoss').__module__.startswith('mmderain')
    assert len(ours(DATASETS)) > 0
