"""The package's layers and the imports between them, read from the source.

mmderain is built in layers, ground floor up; a module may import from its
own layer and the ones below, never from a layer above:

=====  ===============  ====================================================
floor  packages         what lives there
=====  ===============  ====================================================
0      ``utils``        helpers that know nothing of the package (files,
                        checkpoints, images)
1      ``datasets``     datasets, transforms, converters
2      ``models``       networks, losses, editors
3      ``evaluation``   metrics, the sequence matrix and its tables
4      ``engine``       hooks, loops, optimizer wrappers, schedulers
5      ``apis``         inference, deployment, runner configs
6      ``experiments``  applications: comparisons, grids, pipelines,
       ``benchmark``    the benchmark, the analysis tools
       ``analysis``
=====  ===============  ====================================================

The graph is read with :mod:`ast` (nothing is imported), so it also sees
imports inside functions. ``tools/analysis_tools/import_graph.py`` prints
it; ``tests/test_layering.py`` fails on an import that runs downwards.
"""
import ast
import os
import os.path as osp
from collections import Counter
from typing import Dict, Iterator, List, NamedTuple, Optional

#: Top-level subpackage -> floor. Modules directly under ``mmderain/``
#: (``registry``, ``version``) sit with ``utils``; the package's
#: ``__init__`` imports everything to register it and is not a layer.
LAYERS: Dict[str, int] = {
    'utils': 0, 'registry': 0, 'version': 0,
    'datasets': 1,
    'models': 2,
    'evaluation': 3,
    'engine': 4,
    'apis': 5,
    'experiments': 6, 'benchmark': 6, 'analysis': 6,
}


class Import(NamedTuple):
    """One import of one package module from another."""

    source: str  # the importing module, e.g. 'mmderain.apis.inference'
    target: str  # the imported module or name, e.g. 'mmderain.utils.images'
    line: int


def _module_name(package_dir: str, path: str) -> str:
    rel = osp.relpath(path, osp.dirname(package_dir))
    parts = rel[:-len('.py')].split(os.sep)
    if parts[-1] == '__init__':
        parts.pop()
    return '.'.join(parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ''
    base = module.split('.')
    # A package's own __init__ is its level-1 anchor.
    drop = node.level - 1 if is_package else node.level
    base = base[:len(base) - drop] if drop else base
    return '.'.join(base + ([node.module] if node.module else []))


def package_imports(package_dir: str) -> Iterator[Import]:
    """Every import of the package's own modules inside the package.

    Args:
        package_dir (str): The ``mmderain`` source folder.

    Yields:
        Import: One per imported module (``from a import b, c`` counts as
        one import of ``a``).
    """
    package = osp.basename(osp.normpath(package_dir))
    for root, _, files in os.walk(package_dir):
        for name in sorted(files):
            if not name.endswith('.py'):
                continue
            path = osp.join(root, name)
            module = _module_name(package_dir, path)
            with open(path, encoding='utf-8') as f:
                tree = ast.parse(f.read(), filename=path)
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    targets = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    targets = [_resolve(module, name == '__init__.py', node)]
                else:
                    continue
                for target in targets:
                    if target == package or target.startswith(package + '.'):
                        yield Import(module, target, node.lineno)


def layer_of(module: str) -> Optional[int]:
    """Floor of a module (``mmderain.x.y`` -> ``LAYERS['x']``), or None for
    the package root."""
    parts = module.split('.')
    if len(parts) < 2:
        return None
    if parts[1] not in LAYERS:
        raise KeyError(f'{module}: the subpackage {parts[1]!r} has no floor '
                       'in mmderain.utils.import_graph.LAYERS; add it there.')
    return LAYERS[parts[1]]


def upward_imports(package_dir: str) -> List[Import]:
    """Imports from a lower floor of a higher one (see the module
    docstring), which the layering forbids."""
    wrong = []
    for item in package_imports(package_dir):
        source, target = layer_of(item.source), layer_of(item.target)
        if source is not None and target is not None and target > source:
            wrong.append(item)
    return wrong


def layer_edges(package_dir: str) -> Counter:
    """``Counter`` of ``(source subpackage, target subpackage)`` pairs."""
    edges: Counter = Counter()
    for item in package_imports(package_dir):
        source, target = item.source.split('.'), item.target.split('.')
        if len(source) > 1 and len(target) > 1 and source[1] != target[1]:
            edges[(source[1], target[1])] += 1
    return edges
