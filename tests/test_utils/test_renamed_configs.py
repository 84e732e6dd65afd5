"""Configs renamed in issue 19 fail, as a user meets them, with a message
naming the new file: an old path on the command line, an old run config
as the base of a user's own config, an old ``_base_`` fragment."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

from mmderain.apis import build_train_cfg
from mmderain.datasets import run_check
from mmderain.utils.renamed_configs import (RENAMED_CONFIGS,
                                            RenamedConfigError, load_config,
                                            renamed_config)
from tool_runs import run_script

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
OLD_DEMO = osp.join(ROOT, 'configs', 'prenet', 'prenet_b4-p64_800i_syn-mix.py')
NEW_DEMO = osp.join(ROOT, 'configs', 'prenet',
                    'prenet_b4-p64_800i_rendered-mix.py')
FRAGMENTS = osp.join(ROOT, 'configs', '_base_', 'datasets')


def _on_disk(name):
    return glob.glob(osp.join(ROOT, 'configs', '*', name))


@pytest.mark.parametrize('old', sorted(RENAMED_CONFIGS))
def test_every_old_name_is_gone_and_its_new_name_exists(old):
    assert not _on_disk(old)
    assert len(_on_disk(RENAMED_CONFIGS[old])) == 1


def test_renamed_config_keeps_the_folder_and_knows_only_old_names():
    assert renamed_config('my/dir/prenet_nr_demo_syn_seq.py') == (
        'my/dir/prenet_nr_demo_rendered_seq.py')
    assert renamed_config(NEW_DEMO) is None
    assert renamed_config('configs/prenet/no_such_config.py') is None


def test_build_train_cfg_names_the_new_file():
    with pytest.raises(RenamedConfigError) as error:
        build_train_cfg(OLD_DEMO)
    assert f'{OLD_DEMO} was renamed to {NEW_DEMO}' in str(error.value)
    # An unknown name is still plain "not found".
    with pytest.raises(FileNotFoundError, match='Config file not found'):
        build_train_cfg(osp.join(ROOT, 'configs', 'prenet', 'nothing.py'))


@pytest.mark.parametrize('tool', ['train.py', 'test.py'])
def test_the_tools_exit_with_the_new_name(monkeypatch, tmp_path, tool):
    checkpoint = tmp_path / 'iter_1.pth'
    checkpoint.write_bytes(b'')
    args = [OLD_DEMO] + ([checkpoint] if tool == 'test.py' else [])
    code = run_script(monkeypatch, osp.join(ROOT, 'tools', tool), *args)
    assert isinstance(code, str)
    assert 'prenet_b4-p64_800i_rendered-mix.py' in code


def test_check_dataset_reports_the_new_name():
    summary, passed = run_check([OLD_DEMO])
    assert not passed
    assert 'prenet_b4-p64_800i_rendered-mix.py' in summary


def test_a_user_config_on_an_old_base_names_the_new_file(tmp_path):
    mine = tmp_path / 'my_demo.py'
    mine.write_text(f'_base_ = [{OLD_DEMO!r}]\ntrain_iters = 10\n')
    with pytest.raises(RenamedConfigError) as error:
        load_config(str(mine))
    message = str(error.value)
    assert message.startswith(f'{mine} inherits {OLD_DEMO} was renamed to')
    assert NEW_DEMO in message
    # The same base under its new name loads.
    mine.write_text(f'_base_ = [{NEW_DEMO!r}]\ntrain_iters = 10\n')
    assert load_config(str(mine)).train_iters == 10


@pytest.mark.parametrize('old,new,variable', [
    ('synthetic_rain.py', 'rendered_rain.py', 'rendered_rain100h_train'),
    ('real_rain.py', 'raintrain.py', 'raintrainl_test_loader'),
])
def test_an_old_base_fragment_raises_naming_the_new_one(
        tmp_path, old, new, variable):
    mine = tmp_path / 'my_run.py'
    mine.write_text(f'_base_ = [{osp.join(FRAGMENTS, old)!r}]\n')
    # mmengine runs the fragment and passes its error on unchanged.
    with pytest.raises(ImportError, match=f'{old} was renamed to {new}'):
        Config.fromfile(str(mine))
    assert variable in Config.fromfile(osp.join(FRAGMENTS, new))
