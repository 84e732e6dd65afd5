"""The ``mmderain`` config scope.

mmderain registers its modules into mmagic's registries, so configs use
them with ``default_scope = 'mmagic'``. Two things are still needed for a
config to inherit ours through the scope, as
``_base_ = 'mmderain::nr/prenet_rain_seq.py'`` (mmengine's convention for
installed OpenMMLab packages):

* mmengine 0.10.7 resolves ``package::path`` only for the packages listed
  in ``mmengine.config.utils.MODULE2PACKAGE``; importing mmderain adds
  itself there (:func:`register_config_scope`), and the configs are read
  from ``mmderain/.mim/configs`` of the imported package.
* mmengine marks the dicts inherited that way with ``_scope_='mmderain'``
  and, when building them, imports ``mmderain.registry`` and looks for
  registries of that scope. The registries below are empty children of
  mmagic's: a lookup in them falls through to mmagic's (where mmderain's
  modules are) and to mmengine's.
"""
import os.path as osp
import warnings

from mmagic import registry as mmagic_registry
from mmengine.config import utils as config_utils
from mmengine.registry import Registry

SCOPE = 'mmderain'
# Where mmengine and mim look for an OpenMMLab package's configs, tools and
# model index. A wheel ships copies (setup.py); in the repository these are
# links to the top-level folders, so that a development install reads the
# files being edited.
MIM_DIR = osp.join(osp.dirname(osp.abspath(__file__)), '.mim')
MIM_FILES = ('configs', 'tools', 'model-index.yml')


def _child(parent: Registry) -> Registry:
    # Importing the package registers all of mmderain's modules.
    return Registry(
        parent.name, parent=parent, scope=SCOPE, locations=['mmderain'])


RUNNERS = _child(mmagic_registry.RUNNERS)
RUNNER_CONSTRUCTORS = _child(mmagic_registry.RUNNER_CONSTRUCTORS)
LOOPS = _child(mmagic_registry.LOOPS)
HOOKS = _child(mmagic_registry.HOOKS)
LOG_PROCESSORS = _child(mmagic_registry.LOG_PROCESSORS)
OPTIMIZERS = _child(mmagic_registry.OPTIMIZERS)
OPTIM_WRAPPERS = _child(mmagic_registry.OPTIM_WRAPPERS)
OPTIM_WRAPPER_CONSTRUCTORS = _child(
    mmagic_registry.OPTIM_WRAPPER_CONSTRUCTORS)
PARAM_SCHEDULERS = _child(mmagic_registry.PARAM_SCHEDULERS)
DATASETS = _child(mmagic_registry.DATASETS)
DATA_SAMPLERS = _child(mmagic_registry.DATA_SAMPLERS)
TRANSFORMS = _child(mmagic_registry.TRANSFORMS)
MODELS = _child(mmagic_registry.MODELS)
MODEL_WRAPPERS = _child(mmagic_registry.MODEL_WRAPPERS)
WEIGHT_INITIALIZERS = _child(mmagic_registry.WEIGHT_INITIALIZERS)
TASK_UTILS = _child(mmagic_registry.TASK_UTILS)
DIFFUSION_SCHEDULERS = _child(mmagic_registry.DIFFUSION_SCHEDULERS)
METRICS = _child(mmagic_registry.METRICS)
EVALUATORS = _child(mmagic_registry.EVALUATORS)
VISUALIZERS = _child(mmagic_registry.VISUALIZERS)
VISBACKENDS = _child(mmagic_registry.VISBACKENDS)


def register_config_scope() -> None:
    """Let mmengine resolve ``mmderain::`` config paths to the ``.mim``
    folder of the imported package, in a wheel and in a development install.

    mmengine 0.10.7 maps the scope through ``MODULE2PACKAGE`` to a name that
    it looks up first as a distribution, taking ``<location>/mmderain``,
    and only when no distribution has that name as a module, taking the
    module's folder (its branch for packages on ``PYTHONPATH``). A PEP 660
    editable install (``pip install -e .``, what ``make setup`` creates)
    keeps its metadata in ``site-packages``, which has no ``mmderain``
    folder: the package is imported from the repository through
    setuptools' finder. (OpenMMLab's ``setup.py`` links ``.mim`` under
    ``setup.py develop``, whose metadata sat in the repository; PEP 660
    installs never run it.) So the scope maps to the name of this module,
    which no distribution has, and mmengine takes the folder of the package
    really imported, with no patch to mmengine.

    mim does not import mmderain and reads the distribution's location
    only, so ``mim train/run/search mmderain`` need a regular install.

    Warns when ``.mim`` lacks one of :data:`MIM_FILES`, saying how to
    restore it: ``mmderain::`` paths would not resolve.
    """
    config_utils.MODULE2PACKAGE[SCOPE] = __name__
    missing = [
        name for name in MIM_FILES
        if not osp.exists(osp.join(MIM_DIR, name))
    ]
    if missing:
        warnings.warn(
            f'{MIM_DIR} lacks {", ".join(missing)}, so `mmderain::` config '
            'paths (`_base_`, mmengine.hub.get_config) and mim cannot find '
            'the configs. In a clone of the repository these are links to '
            'the top-level configs/, tools/ and model-index.yml: restore '
            'them with `git checkout -- mmderain/.mim` (with `git config '
            'core.symlinks true` on Windows); an installed wheel ships '
            'them, so reinstall it. Until then name configs by their file '
            'path (`_base_ = \'<repo>/configs/nr/prenet_rain_seq.py\'`).')


__all__ = [
    'SCOPE', 'MIM_DIR', 'MIM_FILES', 'register_config_scope', 'RUNNERS',
    'RUNNER_CONSTRUCTORS', 'LOOPS', 'HOOKS', 'LOG_PROCESSORS', 'OPTIMIZERS',
    'OPTIM_WRAPPERS', 'OPTIM_WRAPPER_CONSTRUCTORS', 'PARAM_SCHEDULERS',
    'DATASETS', 'DATA_SAMPLERS', 'TRANSFORMS', 'MODELS', 'MODEL_WRAPPERS',
    'WEIGHT_INITIALIZERS', 'TASK_UTILS', 'DIFFUSION_SCHEDULERS', 'METRICS',
    'EVALUATORS', 'VISUALIZERS', 'VISBACKENDS'
]
