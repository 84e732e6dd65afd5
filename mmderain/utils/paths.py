"""Checks on the folders a run writes to, done before any work starts."""
import os
import os.path as osp


def check_writable_dir(path: str, option: str = 'work_dir') -> None:
    """Make sure ``path`` is, or can be created as, a writable folder.

    A training run writes logs and checkpoints into its work directory; an
    unwritable one should stop the run before data is loaded and the first
    iteration runs, not at the first checkpoint an hour later. Nothing is
    created: the folder itself, or the nearest folder above it that exists,
    must be a writable folder.

    Args:
        path (str): The folder.
        option (str): The option that gave ``path``, named in the error.

    Raises:
        PermissionError: If the folder cannot be created or written.
    """
    existing = osp.abspath(path)
    while not osp.exists(existing) and osp.dirname(existing) != existing:
        existing = osp.dirname(existing)
    if not osp.isdir(existing):
        reason = f'"{existing}" is a file, not a folder'
    elif not os.access(existing, os.W_OK | os.X_OK):
        reason = f'"{existing}" is not writable by this user'
    else:
        return
    raise PermissionError(
        f'{option} "{path}" is not a writable folder ({reason}); logs and '
        'checkpoints go there. Choose another one (e.g. --work-dir) or fix '
        'its permissions.')
