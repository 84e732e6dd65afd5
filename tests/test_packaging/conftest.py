"""A regular (non-editable) install of mmderain, built once per session:
the wheel built from a copy of the repository and installed into a
temporary folder, to put first on ``PYTHONPATH`` of child processes."""
import os
import os.path as osp
import shutil
import subprocess
import sys

import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
# What setup.py and MANIFEST.in read; copied so that the build leaves no
# build/ or egg-info folder in the working tree.
SOURCES = ('setup.py', 'MANIFEST.in', 'README.md', 'model-index.yml',
           'requirements', 'mmderain', 'configs', 'tools')


def _pip(*args: str, cwd: str) -> None:
    subprocess.run([sys.executable, '-m', 'pip', '--disable-pip-version-check',
                    *args],
                   cwd=cwd,
                   check=True,
                   capture_output=True,
                   env=dict(os.environ, OMP_NUM_THREADS='1'))


@pytest.fixture(scope='session')
def installed_wheel(tmp_path_factory) -> str:
    """Folder holding the installed wheel (``mmderain/`` and its
    ``.dist-info``)."""
    root = tmp_path_factory.mktemp('wheel')
    src = root / 'src'
    src.mkdir()
    for name in SOURCES:
        path = osp.join(REPO, name)
        if osp.isdir(path):
            # Without the links in mmderain/.mim, as in an sdist: the
            # build copies the files they point to.
            shutil.copytree(
                path,
                src / name,
                ignore=shutil.ignore_patterns('__pycache__', '*.pyc',
                                              '*.egg-info', '.mim'))
        else:
            shutil.copy(path, src / name)
    _pip('wheel', '--no-deps', '--no-build-isolation', '--no-index', '-w',
         str(root / 'dist'), str(src),
         cwd=str(root))
    wheels = list((root / 'dist').glob('mmderain-*.whl'))
    assert len(wheels) == 1
    site = root / 'site'
    _pip('install', '--no-deps', '--no-index', '--target', str(site),
         str(wheels[0]),
         cwd=str(root))
    return str(site)


@pytest.fixture(scope='session')
def wheel_env(installed_wheel) -> dict:
    """Environment of a child process that imports mmderain, and finds its
    distribution metadata, in the installed wheel (``PYTHONPATH`` comes
    before site-packages, which holds the development install)."""
    return dict(os.environ, PYTHONPATH=installed_wheel, OMP_NUM_THREADS='1')
