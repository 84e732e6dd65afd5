"""Convert a checkpoint of the original PReNet code to an mmderain checkpoint.

The authors' checkpoints (github.com/csdwren/PReNet, e.g.
``logs/Rain100H/PReNet6/net_latest.pth``) are bare state dicts with the
original layer names. The result loads into ``configs/_base_/models/prenet.py``
models with ``load_from`` or ``tools/test.py``.

Example::

    python tools/model_converters/prenet_to_mmderain.py \
        net_latest.pth checkpoints/prenet_rain100h_original.pth
"""
import argparse
import os
import os.path as osp
import sys

import torch

from mmderain.utils import CheckpointRefusedError


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Convert an original PReNet checkpoint')
    parser.add_argument('src', help='original checkpoint (state dict)')
    parser.add_argument('dst', help='output mmderain checkpoint')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    from mmderain.models.editors.prenet import convert_original_state_dict
    from mmderain.utils import load_checkpoint_file

    state = load_checkpoint_file(args.src)
    state = state.get('state_dict', state)
    converted = convert_original_state_dict(state)
    os.makedirs(osp.dirname(osp.abspath(args.dst)), exist_ok=True)
    torch.save(
        dict(
            meta=dict(converted_from=osp.basename(args.src)),
            state_dict={f'generator.{k}': v
                        for k, v in converted.items()}), args.dst)
    print(f'{len(converted)} tensors written to {args.dst}')


if __name__ == '__main__':
    try:
        main()
    except CheckpointRefusedError as err:
        # The message names the file and the reason; a traceback through
        # mmengine's loader would only hide it.
        sys.exit(f'{osp.basename(__file__)}: {err}')
