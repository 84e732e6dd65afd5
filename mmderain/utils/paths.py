"""Checks on the folders a run writes to, done before any work starts."""
import os
import os.path as osp
import uuid


def check_writable_dir(path: str, option: str = 'work_dir') -> None:
    """Create ``path`` if needed and make sure files can be written there.

    A training run writes logs and checkpoints into its work directory; an
    unwritable one should stop the run before data is loaded and the first
    iteration runs, not at the first checkpoint an hour later.

    Args:
        path (str): The folder.
        option (str): The option that gave ``path``, named in the error.

    Raises:
        PermissionError: If the folder cannot be created or written.
    """
    try:
        os.makedirs(path, exist_ok=True)
        probe = osp.join(path, f'.write_test.{uuid.uuid4().hex[:12]}')
        with open(probe, 'wb') as f:
            f.write(b'')
        os.remove(probe)
    except OSError as err:
        raise PermissionError(
            f'{option} "{path}" is not a writable folder '
            f'({err.strerror or err}); logs and checkpoints go there. Choose '
            'another one (e.g. --work-dir) or fix its permissions.') from None
