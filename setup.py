"""Install mmderain.

The runtime requirements below are ranges. mmagic 1.2.0 declares packages that
do not install or import on every platform (mediapipe, av, ...), and mmcv 2.1.0
needs its C++ ops built from source on recent torch; `make setup` installs the
exact, tested stack from requirements/constraints.txt and then this package
with --no-deps. See README.md.
"""
import os
import os.path as osp
import shutil

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

# Shipped inside the package as ``mmderain/.mim/...``, the place where
# mmengine (``_base_ = 'mmderain::nr/prenet_rain_seq.py'``,
# ``mmengine.hub.get_config``) and mim look for an OpenMMLab package's
# configs, tools and model index, as mmagic ships its own. In the
# repository ``mmderain/.mim`` holds links to these (see
# ``mmderain.registry.register_config_scope``).
MIM_FILES = ('configs', 'tools', 'model-index.yml')


def read_version() -> str:
    scope = {}
    with open(osp.join(osp.dirname(__file__), 'mmderain', 'version.py')) as f:
        exec(f.read(), scope)
    return scope['__version__']


def read_requirements(path: str) -> list:
    with open(osp.join(osp.dirname(__file__), path)) as f:
        lines = (line.split('#')[0].strip() for line in f)
        return [line for line in lines if line]


class BuildPyWithMim(build_py):
    """``build_py`` that also copies :data:`MIM_FILES` into
    ``mmderain/.mim`` of the build tree.

    Copying into the build tree, not the source tree, keeps the working
    tree free of copies that would go stale. An editable install imports
    the package from the repository, whose ``mmderain/.mim`` links to the
    files themselves.
    """

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        root = osp.dirname(osp.abspath(__file__))
        mim_dir = osp.join(self.build_lib, 'mmderain', '.mim')
        for name in MIM_FILES:
            src, dst = osp.join(root, name), osp.join(mim_dir, name)
            if not osp.exists(src):
                raise FileNotFoundError(
                    f'setup.py: {src} is missing; it ships as {dst}.')
            if osp.isdir(dst):
                shutil.rmtree(dst)
            if osp.isdir(src):
                shutil.copytree(
                    src,
                    dst,
                    ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))
            else:
                os.makedirs(mim_dir, exist_ok=True)
                shutil.copyfile(src, dst)


setup(
    name='mmderain',
    version=read_version(),
    description='De-raining methods (Neural Reorganization, Task Transfer '
    'Learning) for mmagic',
    long_description=open('README.md', encoding='utf-8').read()
    if osp.exists('README.md') else '',
    long_description_content_type='text/markdown',
    python_requires='>=3.9',
    packages=find_packages(include=['mmderain', 'mmderain.*']),
    cmdclass=dict(build_py=BuildPyWithMim),
    install_requires=[
        'torch>=2.0',
        'torchvision',
        'mmcv>=2.0.0,<2.2.0',
        'mmagic>=1.2.0,<1.3.0',
    ] + read_requirements('requirements/runtime.txt'),
    extras_require=dict(tests=read_requirements('requirements/tests.txt')),
    license='Apache License 2.0',
    classifiers=[
        'Programming Language :: Python :: 3',
        'Topic :: Scientific/Engineering :: Image Processing',
    ],
)
