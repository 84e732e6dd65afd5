"""Export the de-raining network of a config and checkpoint to ONNX.

Height and width (and, unless ``--static-batch``, the batch) are dynamic.
After the export onnxruntime runs the file at other sizes and must agree
with PyTorch within ``--atol``. Run the file with ``tools/derain.py`` by
passing it in place of the checkpoint.

Example::

    python tools/deployment/pytorch2onnx.py \\
        configs/prenet/prenet_b4-p64_800i_rendered-mix.py \\
        work_dirs/prenet_b4-p64_800i_rendered-mix/iter_800.pth prenet.onnx
"""
import argparse
import sys

from mmengine.config import DictAction


def parse_args() -> argparse.Namespace:
    from mmderain.apis.deployment import (DEFAULT_ATOL, DEFAULT_OPSET,
                                          EXPORT_SIZE)
    parser = argparse.ArgumentParser(
        description='Export a de-raining model to ONNX')
    parser.add_argument('config', help='model config file')
    parser.add_argument('checkpoint',
                        help="checkpoint file, or 'none' for the config's "
                        'initial weights')
    parser.add_argument('out', help='the .onnx file to write')
    parser.add_argument('--opset', type=int, default=DEFAULT_OPSET,
                        help='ONNX opset version')
    parser.add_argument('--input-size', type=int, nargs=2,
                        default=list(EXPORT_SIZE), metavar=('H', 'W'),
                        help='size of the example traced (AGLF-ViT: sides '
                        'above and not multiples of the window)')
    parser.add_argument('--static-batch', action='store_true',
                        help='fix the batch axis to 1')
    parser.add_argument('--atol', type=float, default=DEFAULT_ATOL,
                        help='largest difference from PyTorch accepted '
                        'when verifying')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, e.g. model.generator.num_stages=1')
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    import mmderain  # noqa: F401  registers the modules
    from mmderain.apis.deployment import export_onnx

    checkpoint = None if args.checkpoint.lower() == 'none' else (
        args.checkpoint)
    diffs = export_onnx(args.config,
                        checkpoint,
                        args.out,
                        opset=args.opset,
                        input_size=tuple(args.input_size),
                        dynamic_batch=not args.static_batch,
                        atol=args.atol,
                        cfg_options=args.cfg_options)
    print(f'written: {args.out}')
    for shape, diff in diffs.items():
        print(f'onnxruntime vs PyTorch at {shape}: max abs diff {diff:.3g} '
              f'(atol {args.atol:g})')
    return 0


if __name__ == '__main__':
    from mmderain.utils import CheckpointRefusedError
    try:
        sys.exit(main())
    except (CheckpointRefusedError, FileNotFoundError, ImportError,
            ValueError) as error:
        # The message names the file or option; a traceback would hide it.
        sys.exit(f'pytorch2onnx.py: {error}')
