"""The package's folders are its layers: no import runs upwards."""
import os.path as osp

import pytest

import mmderain
from mmderain.utils.import_graph import (layer_edges, package_imports,
                                         upward_imports)

PACKAGE_DIR = osp.dirname(mmderain.__file__)


def write(path, text=''):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_no_module_imports_from_a_higher_layer():
    wrong = [f'{i.source}:{i.line} -> {i.target}'
             for i in upward_imports(PACKAGE_DIR)]
    assert wrong == []


def test_upward_imports_are_found_in_any_spelling(tmp_path):
    package = tmp_path / 'mmderain'
    write(package / '__init__.py', 'from . import apis, utils\n')
    write(package / 'utils' / '__init__.py', 'from .files import f\n')
    # Relative, absolute and function-level imports of a higher layer.
    write(package / 'utils' / 'files.py',
          'def f():\n    from mmderain.apis import g\n')
    write(package / 'utils' / 'paths.py', 'from ..engine import hooks\n')
    write(package / 'engine' / '__init__.py', 'import mmderain.utils.files\n')
    write(package / 'apis' / '__init__.py', 'from ..utils import files\n')
    found = {(i.source, i.target) for i in upward_imports(str(package))}
    assert found == {('mmderain.utils.files', 'mmderain.apis'),
                     ('mmderain.utils.paths', 'mmderain.engine')}
    edges = layer_edges(str(package))
    assert edges[('engine', 'utils')] == 1 and edges[('apis', 'utils')] == 1
    # The package root's registering imports are not a layer violation.
    assert ('mmderain', 'mmderain.apis') not in found
    assert any(i.source == 'mmderain' for i in package_imports(str(package)))


def test_a_subpackage_without_a_floor_is_named(tmp_path):
    package = tmp_path / 'mmderain'
    write(package / '__init__.py')
    write(package / 'gadgets' / '__init__.py', 'from ..utils import x\n')
    with pytest.raises(KeyError, match="'gadgets' has no floor"):
        upward_imports(str(package))
