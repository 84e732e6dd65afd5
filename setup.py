"""Install mmderain.

The runtime requirements below are ranges. mmagic 1.2.0 declares packages that
do not install or import on every platform (mediapipe, av, ...), and mmcv 2.1.0
needs its C++ ops built from source on recent torch; `make setup` installs the
exact, tested stack from requirements/constraints.txt and then this package
with --no-deps. See README.md.
"""
import os.path as osp

from setuptools import find_packages, setup


def read_version() -> str:
    scope = {}
    with open(osp.join(osp.dirname(__file__), 'mmderain', 'version.py')) as f:
        exec(f.read(), scope)
    return scope['__version__']


def read_requirements(path: str) -> list:
    with open(osp.join(osp.dirname(__file__), path)) as f:
        lines = (line.split('#')[0].strip() for line in f)
        return [line for line in lines if line]


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
    install_requires=[
        'torch>=2.0',
        'torchvision',
        'mmcv>=2.0.0,<2.2.0',
        'mmagic>=1.2.0,<1.3.0',
    ] + read_requirements('requirements/runtime.txt'),
    extras_require=dict(tests=['pytest']),
    license='Apache License 2.0',
    classifiers=[
        'Programming Language :: Python :: 3',
        'Topic :: Scientific/Engineering :: Image Processing',
    ],
)
