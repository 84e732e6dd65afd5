"""Make real rainy/clean pairs from a static-camera rain video (SPA-Data).

Writes ``OUT_DIR/rain-N.png`` + ``OUT_DIR/norain-N.png`` (the layout
``Rain100Dataset`` reads), ``moving_mask.png`` and ``provenance.json``; see
``docs/en/real_pairs_from_video.md`` and
:mod:`mmderain.datasets.converters.video_pairs`. A moving camera is refused
(exit status 1, nothing written). Example::

    python tools/dataset_converters/video_to_pairs.py rain.mp4 \
        data/real_pairs/rain --spacing 2
"""
import argparse
import sys

from mmderain.datasets.converters import CameraMotionError, video_to_pairs


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Real rainy/clean pairs from a static-camera video.')
    parser.add_argument(
        'source', help='video file OpenCV reads, or a folder of frames')
    parser.add_argument('out_dir', help='folder to write the pairs to')
    parser.add_argument(
        '--max-shift',
        type=float,
        default=1.0,
        help='largest shift (px) against the still frames\' median that a '
        'kept frame may have (default: 1.0)')
    parser.add_argument(
        '--max-motion',
        type=float,
        default=1.0,
        help='largest motion (px) since the previous frame that a kept '
        'frame may have (default: 1.0)')
    parser.add_argument(
        '--min-frames',
        type=int,
        default=8,
        help='fewest still frames to go on with (default: 8)')
    parser.add_argument(
        '--percentile',
        type=float,
        default=50.0,
        help='per-pixel percentile over time that estimates the background;'
        ' 50 is the median, lower is less biased by rain (default: 50)')
    parser.add_argument(
        '--window',
        type=int,
        help='kept frames around each rainy frame that its background is '
        'estimated from (default: all kept frames)')
    parser.add_argument(
        '--spacing',
        type=int,
        default=1,
        help='smallest gap in frames between two rainy frames (default: 1)')
    parser.add_argument(
        '--on-moving',
        choices=['flag', 'skip'],
        default='flag',
        help='flag moving objects in the provenance, or also skip the frames'
        ' that show one (default: flag)')
    parser.add_argument(
        '--motion-threshold',
        type=float,
        default=20.0,
        help='change (grey levels, Y) that counts as moving (default: 20)')
    parser.add_argument(
        '--min-object-size',
        type=int,
        help='smallest moving object in px (default: 1/80 of the shorter '
        'side, at least 5)')
    parser.add_argument(
        '--grid',
        type=int,
        nargs=2,
        default=[3, 3],
        metavar=('ROWS', 'COLS'),
        help='tiles for the shift estimate (default: 3 3)')
    parser.add_argument(
        '--max-frames', type=int, help='use only the first frames')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='write into a folder that already holds files')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    try:
        provenance = video_to_pairs(
            args.source,
            args.out_dir,
            max_frames=args.max_frames,
            overwrite=args.overwrite,
            max_shift=args.max_shift,
            max_motion=args.max_motion,
            min_frames=args.min_frames,
            percentile=args.percentile,
            window=args.window,
            spacing=args.spacing,
            grid=args.grid,
            on_moving=args.on_moving,
            motion_threshold=args.motion_threshold,
            min_object_size=args.min_object_size)
    except (CameraMotionError, FileExistsError, FileNotFoundError,
            ValueError) as error:
        sys.exit(f'error: {error}')
    dropped = provenance['dropped_frames']
    moving = provenance['moving_objects']
    print(f'{provenance["source"]}: {provenance["num_frames"]} frames, '
          f'kept {len(provenance["kept_frames"])}, dropped {len(dropped)}')
    for record in dropped:
        print(f'  frame {record["index"]}: {record["reason"]}')
    print(f'moving objects: {moving["fraction"]:.3%} of the image, '
          f'{len(moving["boxes"])} regions')
    for record in provenance['pairs']:
        print(f'  {record["rainy"]}: frame {record["frame"]}, input '
              f'{record["input_psnr_y"]:.2f} dB (Y)')
    print(f'wrote {len(provenance["pairs"])} pairs to {args.out_dir} '
          f'(mean input {provenance["mean_input_psnr_y"]:.2f} dB Y)')


if __name__ == '__main__':
    main()
