import os

import pytest

from mmderain.apis import build_train_cfg
from mmderain.utils import check_writable_dir

TINY = os.path.join(
    os.path.dirname(__file__), '..', 'data', 'configs',
    'tiny_nr_demo_rendered_seq.py')


def test_unwritable_work_dir_is_refused_before_training(tmp_path):
    blocker = tmp_path / 'a_file'
    blocker.write_text('')
    work_dir = str(blocker / 'work')
    with pytest.raises(PermissionError,
                       match=f'work_dir "{work_dir}" is not a writable'):
        build_train_cfg(TINY, work_dir=work_dir)

    # A folder that can be created passes, and nothing is created yet.
    check_writable_dir(str(tmp_path / 'new' / 'work'))
    assert not (tmp_path / 'new').exists()


def test_read_only_folder_is_refused(tmp_path):
    folder = tmp_path / 'read_only'
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            # root writes anyway: then the folder is writable indeed.
            check_writable_dir(str(folder))
        else:
            with pytest.raises(PermissionError, match='not writable by'):
                check_writable_dir(str(folder))
    finally:
        folder.chmod(0o700)
