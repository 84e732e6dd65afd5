"""The ``mmderain`` config scope.

mmderain registers its modules into mmagic's registries, so configs use
them with ``default_scope = 'mmagic'``. Two things are still needed for a
config to inherit ours through the scope, as
``_base_ = 'mmderain::nr/prenet_rain_seq.py'`` (mmengine's convention for
installed OpenMMLab packages):

* mmengine 0.10.7 resolves ``package::path`` only for the packages listed
  in ``mmengine.config.utils.MODULE2PACKAGE``; importing mmderain adds
  itself there (:func:`register_config_scope`), and the configs are read
  from ``mmderain/.mim/configs`` of the installed package.
* mmengine marks the dicts inherited that way with ``_scope_='mmderain'``
  and, when building them, imports ``mmderain.registry`` and looks for
  registries of that scope. The registries below are empty children of
  mmagic's: a lookup in them falls through to mmagic's (where mmderain's
  modules are) and to mmengine's.
"""
from mmagic import registry as mmagic_registry
from mmengine.config import utils as config_utils
from mmengine.registry import Registry

SCOPE = 'mmderain'


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
    """Let mmengine resolve ``mmderain::`` config paths.

    The package and its import name are the same, ``mmderain``.
    """
    config_utils.MODULE2PACKAGE.setdefault(SCOPE, SCOPE)


__all__ = [
    'SCOPE', 'register_config_scope', 'RUNNERS', 'RUNNER_CONSTRUCTORS',
    'LOOPS', 'HOOKS', 'LOG_PROCESSORS', 'OPTIMIZERS', 'OPTIM_WRAPPERS',
    'OPTIM_WRAPPER_CONSTRUCTORS', 'PARAM_SCHEDULERS', 'DATASETS',
    'DATA_SAMPLERS', 'TRANSFORMS', 'MODELS', 'MODEL_WRAPPERS',
    'WEIGHT_INITIALIZERS', 'TASK_UTILS', 'DIFFUSION_SCHEDULERS', 'METRICS',
    'EVALUATORS', 'VISUALIZERS', 'VISBACKENDS'
]
