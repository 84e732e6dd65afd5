"""Print the imports between mmderain's layers and any that run upwards.

Example::

    python tools/analysis_tools/import_graph.py

Exits 1 when a module imports from a higher layer (see
:mod:`mmderain.utils.import_graph`).
"""
import argparse
import os.path as osp
import sys

from mmderain.utils.import_graph import LAYERS, layer_edges, upward_imports


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--package-dir',
        default=osp.join(osp.dirname(osp.dirname(osp.dirname(
            osp.abspath(__file__)))), 'mmderain'),
        help='the mmderain source folder (default: this repository\'s)')
    args = parser.parse_args()
    edges = layer_edges(args.package_dir)
    print(f'{"from":<12} {"floor":>5}  {"to":<12} {"floor":>5}  imports')
    for (source, target), count in sorted(
            edges.items(), key=lambda e: (-LAYERS[e[0][0]], e[0])):
        print(f'{source:<12} {LAYERS[source]:>5}  {target:<12} '
              f'{LAYERS[target]:>5}  {count:>7}')
    wrong = upward_imports(args.package_dir)
    for item in wrong:
        print(f'UPWARD {item.source} (line {item.line}) imports '
              f'{item.target}')
    print(f'{len(wrong)} upward import(s).')
    return 1 if wrong else 0


if __name__ == '__main__':
    sys.exit(main())
