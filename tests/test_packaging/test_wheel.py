"""``mmderain::`` configs resolve in both installs: a plain (non-editable)
install ships them as mmagic ships its own, and the development install
(PEP 660 editable, what ``make setup`` creates) reads the repository's.
Each case loads, in a fresh process, a config that inherits ours through
the scope and the same config through ``mmengine.hub.get_config``."""
import json
import os
import os.path as osp
import subprocess
import sys
import textwrap
from importlib import metadata

import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

pytestmark = pytest.mark.e2e

CHILD = textwrap.dedent("""
    import json, os, sys
    import mmderain
    from mmengine.config import Config
    from mmengine.hub import get_config
    from mmengine.registry import MODELS, init_default_scope

    with open('user_cfg.py', 'w') as f:
        f.write("_base_ = "
                "'mmderain::prenet/prenet_b4-p64_800i_rendered-mix.py'\\n"
                "train_cfg = dict(max_iters=3)\\n")
    cfg = Config.fromfile('user_cfg.py')
    hub_cfg = get_config('mmderain::nr/prenet_rain_seq.py')
    base_cfg = get_config('mmderain::_base_/default_runtime.py')
    init_default_scope('mmagic')
    model = MODELS.build(cfg.model)
    mim = os.path.join(os.path.dirname(mmderain.__file__), '.mim')
    print(json.dumps(dict(
        package=mmderain.__file__,
        model=type(model).__name__,
        model_scope=cfg.model.get('_scope_'),
        hub_file=hub_cfg.filename,
        hub_model=hub_cfg.model.type,
        generator=cfg.model.generator.type,
        max_iters=cfg.train_cfg.max_iters,
        base_file=base_cfg.filename,
        mim=sorted(os.listdir(mim)),
        train_tool=os.path.isfile(os.path.join(mim, 'tools', 'train.py')),
    )))
""")


def _load_user_config(cwd, env):
    result = subprocess.run([sys.executable, '-c', CHILD],
                            cwd=str(cwd),
                            capture_output=True,
                            text=True,
                            env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _check_resolved(info, package_dir):
    assert info['package'] == osp.join(package_dir, '__init__.py')
    assert info['mim'] == ['configs', 'model-index.yml', 'tools']
    assert info['train_tool']
    # The inherited model is built through mmderain's scope.
    assert info['model_scope'] == 'mmderain'
    assert info['model'] == 'BaseEditModel'
    assert info['generator'] == 'PReNet'
    assert info['max_iters'] == 3
    # mmengine.hub finds the config through the model index.
    assert info['hub_file'] == osp.join(package_dir, '.mim', 'configs', 'nr',
                                        'prenet_rain_seq.py')
    assert info['hub_model'] == 'DistillEditModel'
    # A base config is in no metafile: read from .mim/configs by its path.
    assert info['base_file'] == osp.join(package_dir, '.mim', 'configs',
                                         '_base_', 'default_runtime.py')


def test_installed_wheel_resolves_mmderain_scope(installed_wheel, wheel_env,
                                                 tmp_path):
    info = _load_user_config(tmp_path, wheel_env)
    # Imported from the installed wheel, whose .mim holds copies.
    _check_resolved(info, osp.join(installed_wheel, 'mmderain'))
    assert not osp.islink(osp.join(installed_wheel, 'mmderain', '.mim',
                                   'configs'))


def test_development_install_resolves_mmderain_scope(tmp_path):
    # The suite runs in the environment `make setup` builds: mmderain
    # installed in editable mode, its metadata in site-packages, which has
    # no mmderain folder (mmengine looked there before).
    dist = metadata.distribution('mmderain')
    direct_url = json.loads(dist.read_text('direct_url.json') or '{}')
    assert direct_url.get('dir_info', {}).get('editable'), (
        'tests run in the editable install of `make setup`')
    assert not osp.exists(
        osp.join(str(dist.locate_file('')), 'mmderain', '__init__.py'))
    env = dict(os.environ, OMP_NUM_THREADS='1')
    env.pop('PYTHONPATH', None)
    info = _load_user_config(tmp_path, env)
    _check_resolved(info, osp.join(REPO, 'mmderain'))
    # The repository's .mim links to the files being edited.
    assert osp.realpath(info['hub_file']) == osp.join(
        REPO, 'configs', 'nr', 'prenet_rain_seq.py')
