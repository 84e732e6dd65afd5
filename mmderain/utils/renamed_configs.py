"""Configs that were renamed, so that an old path fails with the new one.

Issue 19 renamed the configs that called public synthetic rain (RainTrainL)
"real" and our renderer's rain "syn": *public* names a public synthetic
benchmark, *rendered* our renderer's output, *real* photographed rain. A
user's command line or own config may still name an old file; instead of
"file not found" the tools and :func:`load_config` then say what it is
called now. The old ``_base_`` fragments (``synthetic_rain.py``,
``real_rain.py``) stay as files that raise the same kind of message.
"""
import os.path as osp
import re
from typing import Optional

from mmengine.config import Config

#: Old file name -> new file name (same folder) of the renamed run configs.
RENAMED_CONFIGS = {
    'prenet_b4-p64_800i_syn-mix.py': 'prenet_b4-p64_800i_rendered-mix.py',
    'prenet_b4-p64_800i_syn-rain100h.py':
    'prenet_b4-p64_800i_rendered-rain100h.py',
    'prenet_b4-p64_1200i_real-rain100l.py':
    'prenet_b4-p64_1200i_raintrainl.py',
    **{
        f'prenet_{method}_demo_syn_seq.py':
        f'prenet_{method}_demo_rendered_seq.py'
        for method in ('ewc', 'lwf', 'mas', 'mix', 'nr', 'nr-free-rank',
                       'nr-per-batch', 'pigwm', 'si')
    },
}


class RenamedConfigError(FileNotFoundError):
    """A config file (or a base it names) was renamed; the message names
    the file and its new name."""


def renamed_config(path: str) -> Optional[str]:
    """The new path of a renamed config, or None.

    Args:
        path (str): A config path as a user wrote it (any folder).

    Returns:
        str | None: ``path`` with its file name replaced by the new name
        when the name is in :data:`RENAMED_CONFIGS`, else None.
    """
    new = RENAMED_CONFIGS.get(osp.basename(path))
    return None if new is None else osp.join(osp.dirname(path), new)


def _renamed_message(path: str, new: str) -> str:
    return (f'{path} was renamed to {new} (issue 19: "public" names a public '
            'synthetic benchmark such as RainTrainL, "rendered" our '
            'renderer\'s rain, "real" photographed rain); use the new name.')


def check_config_file(path: str) -> None:
    """Check that a config file exists, naming a renamed one's new path.

    Args:
        path (str): The config file.

    Raises:
        RenamedConfigError: ``path`` does not exist and is a renamed
            config's old name.
        FileNotFoundError: ``path`` does not exist.
    """
    if osp.isfile(path):
        return
    new = renamed_config(path)
    if new is not None:
        raise RenamedConfigError(_renamed_message(path, new))
    raise FileNotFoundError(f'Config file not found: {path}')


def load_config(path: str) -> Config:
    """``Config.fromfile`` that names the new file of a renamed config.

    Covers the config itself and a ``_base_`` of a user's own config that
    names an old run config (the old ``_base_`` fragments raise their own
    message).

    Args:
        path (str): The config file.

    Returns:
        Config: The loaded config.

    Raises:
        RenamedConfigError: ``path``, or a base file it inherits, is a
            renamed config's old name.
        FileNotFoundError: ``path`` does not exist.
    """
    check_config_file(path)
    try:
        return Config.fromfile(path)
    except FileNotFoundError as error:
        # mmengine names the missing base file in its message.
        for old in RENAMED_CONFIGS:
            match = re.search(rf'[^\s\'"]*{re.escape(old)}', str(error))
            if match is not None:
                base = match.group(0)
                raise RenamedConfigError(
                    f'{path} inherits ' +
                    _renamed_message(base, renamed_config(base))) from error
        raise
