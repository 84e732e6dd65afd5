"""De-rain an image or a folder of images with a trained model.

Example::

    python tools/derain.py configs/prenet/prenet_100e_rain100h.py \
        work_dirs/prenet_100e_rain100h/epoch_100.pth rainy/ --out derained/
"""
import argparse
import os
import os.path as osp

import mmcv

IMG_EXTENSIONS = ('.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='De-rain images')
    parser.add_argument('config', help='model config file')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('input', help='an image file or a folder of images')
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument('--device', default='cpu', help='e.g. cpu, cuda:0')
    parser.add_argument(
        '--size-divisor',
        type=int,
        default=1,
        help='pad images to a multiple of this (e.g. 8 for Restormer)')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    import mmderain  # noqa: F401
    from mmderain.apis import derain_image, init_model

    if osp.isdir(args.input):
        files = sorted(
            osp.join(args.input, f) for f in os.listdir(args.input)
            if f.lower().endswith(IMG_EXTENSIONS))
        if not files:
            raise FileNotFoundError(f'No images found in {args.input}')
    elif osp.isfile(args.input):
        files = [args.input]
    else:
        raise FileNotFoundError(f'Input not found: {args.input}')
    model = init_model(args.config, args.checkpoint, device=args.device)
    os.makedirs(args.out, exist_ok=True)
    for path in files:
        img = mmcv.imread(path, channel_order='rgb')
        result = derain_image(model, img, size_divisor=args.size_divisor)
        out_path = osp.join(args.out, osp.basename(path))
        mmcv.imwrite(result[..., ::-1], out_path)
        print(f'{path} -> {out_path}')


if __name__ == '__main__':
    main()
