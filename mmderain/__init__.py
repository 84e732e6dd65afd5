"""mmderain: de-raining methods for mmagic.

Importing the package registers its models, datasets, transforms, metrics,
hooks, loops and optimizer wrappers into mmagic's registries, so configs
with ``default_scope = 'mmagic'`` and
``custom_imports = dict(imports=['mmderain'])`` can use them by name.
"""
import mmagic
import mmcv
import mmengine
from mmengine.utils import digit_version

from .version import __version__

# Ranges mmderain is tested in; mmagic 1.2.0 itself asserts mmcv < 2.2.
_REQUIREMENTS = {
    'mmcv': (mmcv.__version__, '2.0.0', '2.2.0'),
    'mmengine': (mmengine.__version__, '0.10.0', '0.11.0'),
    'mmagic': (mmagic.__version__, '1.2.0', '1.3.0'),
}

for _name, (_found, _low, _high) in _REQUIREMENTS.items():
    if not digit_version(_low) <= digit_version(_found) < digit_version(_high):
        raise ImportError(
            f'mmderain {__version__} needs {_low} <= {_name} < {_high}, '
            f'but {_name} {_found} is installed. Run `make setup` in the '
            'mmderain repository to build the tested stack, or install a '
            f'{_name} version in that range.')

from . import datasets, engine, evaluation, models  # noqa: E402,F401
from .registry import register_config_scope  # noqa: E402
from .utils.atomic_files import register_atomic_local_backend  # noqa: E402
from .utils.checkpoint import (register_checkpoint_loader,  # noqa: E402
                               register_checkpoint_safe_globals)

register_checkpoint_safe_globals()
register_checkpoint_loader()
register_atomic_local_backend()
register_config_scope()

__all__ = ['__version__', 'register_checkpoint_safe_globals']
