"""A plain (non-editable) install ships the configs as mmagic ships its
own: build the wheel, install it into a temporary folder and load a config
that inherits ours through the ``mmderain::`` scope, in a fresh process
that imports mmderain from that folder only."""
import json
import os
import os.path as osp
import shutil
import subprocess
import sys
import textwrap

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
# What setup.py and MANIFEST.in read; copied so that the build leaves no
# build/ or egg-info folder in the working tree.
SOURCES = ('setup.py', 'MANIFEST.in', 'README.md', 'model-index.yml',
           'requirements', 'mmderain', 'configs', 'tools')

CHILD = textwrap.dedent("""
    import json, os, sys
    import mmderain
    from mmengine.config import Config
    from mmengine.hub import get_config
    from mmengine.registry import MODELS, init_default_scope

    site = sys.argv[1]
    with open('user_cfg.py', 'w') as f:
        f.write("_base_ = 'mmderain::nr/prenet_rain_seq.py'\\n"
                "train_cfg = dict(tasks=[])\\n")
    cfg = Config.fromfile('user_cfg.py')
    hub_cfg = get_config('mmderain::nr/prenet_rain_seq.py')
    init_default_scope('mmagic')
    model = MODELS.build(cfg.model)
    mim = os.path.join(os.path.dirname(mmderain.__file__), '.mim')
    print(json.dumps(dict(
        package=mmderain.__file__,
        model=type(model).__name__,
        model_scope=cfg.model.get('_scope_'),
        hub_file=hub_cfg.filename,
        hub_model=hub_cfg.model.type,
        tasks=len(cfg.train_cfg.tasks),
        mim=sorted(os.listdir(mim)),
        train_tool=os.path.isfile(os.path.join(mim, 'tools', 'train.py')),
    )))
""")


def _pip(*args: str, cwd: str) -> None:
    subprocess.run([sys.executable, '-m', 'pip', '--disable-pip-version-check',
                    *args],
                   cwd=cwd,
                   check=True,
                   capture_output=True,
                   env=dict(os.environ, OMP_NUM_THREADS='1'))


def test_installed_wheel_resolves_mmderain_scope(tmp_path):
    src = tmp_path / 'src'
    for name in SOURCES:
        path = osp.join(REPO, name)
        if osp.isdir(path):
            shutil.copytree(
                path,
                src / name,
                ignore=shutil.ignore_patterns('__pycache__', '*.pyc',
                                              '*.egg-info'))
        else:
            src.mkdir(exist_ok=True)
            shutil.copy(path, src / name)
    _pip('wheel', '--no-deps', '--no-build-isolation', '--no-index', '-w',
         str(tmp_path / 'dist'), str(src),
         cwd=str(tmp_path))
    wheels = list((tmp_path / 'dist').glob('mmderain-*.whl'))
    assert len(wheels) == 1
    site = tmp_path / 'site'
    _pip('install', '--no-deps', '--no-index', '--target', str(site),
         str(wheels[0]),
         cwd=str(tmp_path))

    work = tmp_path / 'user'
    work.mkdir()
    result = subprocess.run(
        [sys.executable, '-c', CHILD, str(site)],
        cwd=str(work),
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(site), OMP_NUM_THREADS='1'))
    assert result.returncode == 0, result.stderr[-3000:]
    info = json.loads(result.stdout.strip().splitlines()[-1])

    # Imported from the installed wheel, not from the repository.
    assert info['package'].startswith(str(site))
    assert info['mim'] == ['configs', 'model-index.yml', 'tools']
    assert info['train_tool']
    # The inherited model is built through mmderain's scope.
    assert info['model_scope'] == 'mmderain'
    assert info['model'] == 'DistillEditModel'
    assert info['tasks'] == 0
    # mmengine.hub finds the config through the model index.
    assert info['hub_file'].startswith(str(site))
    assert info['hub_file'].endswith(
        osp.join('.mim', 'configs', 'nr', 'prenet_rain_seq.py'))
    assert info['hub_model'] == 'DistillEditModel'
