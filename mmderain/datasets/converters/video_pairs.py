"""Real rainy/clean pairs from a static-camera rain video, as SPA-Data.

Wang et al., "Spatial Attentive Single-Image Deraining with a High Quality
Real Rain Dataset" (CVPR 2019), Sec. 3, build real rain with ground truth
from videos filmed by a still camera: the scene stands still while the rain
falls through it, so each pixel sees the background in most frames and a
rain streak in a few. Rain only adds light, so the background is found
among the darker values a pixel takes over time; SPA-Data picks a low range
of each pixel's sorted intensities (choosing the range per video with human
supervision) and pairs every rainy frame with that clean image.

This module does the same automatically and says what it did:

1. Read the frames (a video file OpenCV reads, or a folder of images).
2. Measure each frame's global shift against the temporal median of the
   still frames with phase correlation (``cv2.phaseCorrelate`` with a
   Hanning window), per tile of a grid and taking the median over tiles, so
   burned-in logos or subtitles (which stay put when the camera pans) and
   swaying trees outvote no more than their own tiles.
3. Keep the still frames: shift against that median within ``max_shift``
   px and motion since the previous frame within ``max_motion`` px (a frame
   taken while the camera moves is blurred even where it ends up in place).
   Refuse, with :class:`CameraMotionError` and before writing anything,
   when fewer than ``min_frames`` remain.
4. Undo the kept frames' sub-pixel drift (``cv2.warpAffine`` by the
   measured shift) and estimate the background per pixel over a temporal
   window: the median by default, any percentile as an option. Rain
   brightens, so the median of a pixel that rain covers in a good share of
   the frames is biased bright; a lower percentile is less biased by rain
   but, being a low order statistic, picks the dark tail of the sensor noise
   (a slightly darker, noisier background) and needs more frames.
5. Report moving objects: blobs that differ from the background in several
   frames. Rain streaks are thin and cross a pixel within a frame or two;
   a car, a person, leaves in the wind or a changing subtitle cover a
   blob for longer. They are flagged (or their frames skipped); the pairs
   there are not clean.
6. Write the chosen rainy frames (spaced apart) and their backgrounds in
   the flat Rain100 layout that
   :class:`~mmderain.datasets.Rain100Dataset` reads (``rain-N.png`` and
   ``norain-N.png``), with ``provenance.json`` recording the source, the
   frames used, the shifts, the dropped frames and why, the estimator, the
   moving objects and the rainy input's PSNR (Y) per pair.

The written rainy image is the camera frame itself, untouched, so its rain
keeps its real sharpness; the background is moved onto it instead. A border
as wide as the largest kept shift (rounded up) is cropped from both, where
the moved background would be extrapolated.
"""
import json
import math
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np

from mmagic.evaluation.metrics.psnr import psnr
from mmderain.utils import atomic_write_text
from ..base_rain_dataset import list_images

#: Names of the files :func:`video_to_pairs` writes besides the pairs.
PROVENANCE_FILE = 'provenance.json'
MOVING_MASK_FILE = 'moving_mask.png'

# Phase correlation needs some texture per tile; below this a tile's peak
# is too broad for a sub-pixel estimate.
_MIN_TILE = 64


class CameraMotionError(ValueError):
    """The video is not a still camera: too few still frames to use.

    Args:
        message (str): What was measured and why it is refused.
        source (str): The video or folder of frames.
        shifts (np.ndarray): ``(N, 2)`` shift ``(dx, dy)`` of every frame
            against the temporal median, in px.
        motion (np.ndarray): ``(N, )`` motion of every frame since the
            previous one, in px.
    """

    def __init__(self, message: str, source: str, shifts: np.ndarray,
                 motion: np.ndarray) -> None:
        super().__init__(message)
        self.source = source
        self.shifts = shifts
        self.motion = motion


def read_frames(source: str,
                max_frames: Optional[int] = None
                ) -> Tuple[List[np.ndarray], Optional[float]]:
    """Read the frames of a video file or of a folder of images.

    Args:
        source (str): A video file OpenCV can decode, or a folder whose
            images (naturally sorted: ``frame-2`` before ``frame-10``) are
            the frames.
        max_frames (int, optional): Read at most this many frames (the
            first ones). Defaults to None (all).

    Returns:
        tuple: ``(frames, fps)``: BGR ``uint8`` frames of one size and the
        video's frame rate (None for a folder or when the file has none).
    """
    if max_frames is not None and max_frames < 1:
        raise ValueError(f'max_frames must be >= 1, got {max_frames}.')
    frames, fps = [], None
    if osp.isdir(source):
        for name in list_images(source, 'read_frames', 'frames'):
            if max_frames is not None and len(frames) == max_frames:
                break
            path = osp.join(source, name)
            frame = cv2.imread(path, cv2.IMREAD_COLOR)
            if frame is None:
                raise ValueError(f'read_frames: "{path}" is not a readable '
                                 'image.')
            frames.append(frame)
    elif osp.isfile(source):
        capture = cv2.VideoCapture(source)
        try:
            if not capture.isOpened():
                raise ValueError(f'read_frames: OpenCV cannot open "{source}"'
                                 ' as a video.')
            fps = capture.get(cv2.CAP_PROP_FPS) or None
            while max_frames is None or len(frames) < max_frames:
                ok, frame = capture.read()
                if not ok:
                    break
                frames.append(frame)
        finally:
            capture.release()
        if not frames:
            raise ValueError(f'read_frames: no frame could be decoded from '
                             f'"{source}".')
    else:
        raise FileNotFoundError(
            f'read_frames: "{source}" is neither a video file nor a folder.')
    sizes = {frame.shape for frame in frames}
    if len(sizes) > 1:
        raise ValueError(f'read_frames: the frames of "{source}" differ in '
                         f'size: {sorted(sizes)}.')
    return frames, fps


def _gray(frame: np.ndarray) -> np.ndarray:
    """Grey image for phase correlation."""
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY).astype(np.float32)
    # Phase correlation whitens the spectrum, which lifts pixel noise and
    # aliasing to the weight of real structure; a slight blur halved the
    # shift error on the tests' videos (0.07 -> 0.04 px RMS).
    return cv2.GaussianBlur(gray, (0, 0), 1.0)


def _luma(frame: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(frame, cv2.COLOR_BGR2YCrCb)[..., 0].astype(np.float32)


def _tiles(shape: Tuple[int, int],
           grid: Sequence[int]) -> List[Tuple[slice, slice]]:
    rows = max(1, min(int(grid[0]), shape[0] // _MIN_TILE))
    cols = max(1, min(int(grid[1]), shape[1] // _MIN_TILE))
    height, width = shape[0] // rows, shape[1] // cols
    return [(slice(r * height, (r + 1) * height),
             slice(c * width, (c + 1) * width)) for r in range(rows)
            for c in range(cols)]


def _phase_shift(reference: np.ndarray, image: np.ndarray,
                 grid: Sequence[int]) -> Tuple[np.ndarray, float]:
    """Shift ``(dx, dy)`` of ``image``'s content against ``reference``.

    Returns the median over the tiles and the tiles' disagreement (median
    over tiles of their largest deviation from it, px).
    """
    tiles = _tiles(reference.shape, grid)
    window = None
    shifts = []
    for rows, cols in tiles:
        if window is None:
            window = cv2.createHanningWindow(
                (cols.stop - cols.start, rows.stop - rows.start),
                cv2.CV_32F)
        # phaseCorrelate applies the window to its inputs in place
        # (OpenCV 4.11), so it gets copies.
        (dx, dy), _ = cv2.phaseCorrelate(reference[rows, cols].copy(),
                                         image[rows, cols].copy(), window)
        shifts.append((dx, dy))
    shifts = np.asarray(shifts, np.float64)
    shift = np.median(shifts, axis=0)
    spread = float(np.median(np.abs(shifts - shift).max(axis=1)))
    return shift, spread


def _translate(image: np.ndarray, shift: Sequence[float]) -> np.ndarray:
    """Move ``image``'s content by ``shift = (dx, dy)`` px (sub-pixel)."""
    matrix = np.float32([[1, 0, shift[0]], [0, 1, shift[1]]])
    return cv2.warpAffine(
        image,
        matrix, (image.shape[1], image.shape[0]),
        flags=cv2.INTER_CUBIC,
        borderMode=cv2.BORDER_REPLICATE)


def estimate_shifts(frames: Sequence[np.ndarray],
                    max_shift: float = 1.0,
                    grid: Sequence[int] = (3, 3)) -> Dict:
    """Global shift of every frame against the still frames' median.

    The temporal median of *all* frames is a smear when the camera moved
    for part of the clip, and phase correlation against a smear finds small
    shifts everywhere. So the frames are first chained by their shifts
    from one to the next (reliable, since consecutive frames differ
    little), the largest group of frames lying within ``max_shift`` of one
    place is aligned and its median taken as the reference, and every
    frame's shift is then measured against that median.

    Args:
        frames (Sequence[np.ndarray]): BGR ``uint8`` frames.
        max_shift (float): Radius in px of the group of still frames that
            makes the reference. Defaults to 1.0.
        grid (Sequence[int]): Rows and columns of tiles; each tile is
            phase-correlated on its own and the median shift taken (fewer
            tiles where one would be under 64 px). Defaults to ``(3, 3)``.

    Returns:
        dict: ``shifts`` ``(N, 2)`` (``(dx, dy)`` of each frame's content
        against the reference, px), ``spread`` ``(N, )`` (how much the
        tiles disagreed, px), ``motion`` ``(N, )`` (px moved since the
        previous frame; for the first frame, to the next one),
        ``reference_frames`` (indices whose median is the reference).
    """
    if len(frames) < 2:
        raise ValueError(f'estimate_shifts needs at least 2 frames, got '
                         f'{len(frames)}.')
    grays = [_gray(frame) for frame in frames]
    steps = np.zeros((len(frames), 2))
    for i in range(1, len(frames)):
        steps[i] = _phase_shift(grays[i - 1], grays[i], grid)[0]
    path = np.cumsum(steps, axis=0)
    motion = np.linalg.norm(steps, axis=1)
    motion[0] = motion[1]

    def near(centre: np.ndarray) -> np.ndarray:
        return np.flatnonzero(
            np.linalg.norm(path - centre, axis=1) <= max_shift)

    best = max(range(len(frames)), key=lambda i: len(near(path[i])))
    centre = np.median(path[near(path[best])], axis=0)
    members = near(centre)
    if not len(members):
        members = near(path[best])
    reference = np.median(
        np.stack([_translate(grays[i], centre - path[i]) for i in members]),
        axis=0).astype(np.float32)
    measured = [_phase_shift(reference, gray, grid) for gray in grays]
    return dict(
        shifts=np.array([shift for shift, _ in measured]),
        spread=np.array([spread for _, spread in measured]),
        motion=motion,
        reference_frames=[int(i) for i in members])


def estimate_background(frames: Sequence[np.ndarray],
                        percentile: float = 50.0) -> np.ndarray:
    """Per-pixel percentile over aligned frames: the clean background.

    Args:
        frames (Sequence[np.ndarray]): Aligned frames of one size.
        percentile (float): 50 is the median (default). Lower values are
            less biased by rain, which only brightens (module docstring).

    Returns:
        np.ndarray: The background, ``uint8``, shaped like a frame.
    """
    if not 0 <= percentile <= 100:
        raise ValueError(f'percentile must be in [0, 100], got {percentile}.')
    stack = np.stack(frames)
    background = np.empty(stack.shape[1:], np.uint8)
    # Row bands bound the float64 copy np.percentile makes.
    band = max(1, 2**22 // max(1, stack[0, 0].size * len(stack)))
    for top in range(0, stack.shape[1], band):
        rows = slice(top, top + band)
        background[rows] = np.clip(
            np.percentile(stack[:, rows], percentile, axis=0) + 0.5, 0, 255)
    return background


def _default_object_size(shape: Tuple[int, ...]) -> int:
    # Real streaks are a few px wide at 1080p (up to ~10 in the news clip
    # of ../shared/data/real_rain_videos); an object is wider than that.
    return max(5, round(min(shape[:2]) / 80))


def find_moving_objects(frames: Sequence[np.ndarray],
                        backgrounds: Sequence[np.ndarray],
                        threshold: float = 20.0,
                        min_object_size: Optional[int] = None,
                        min_frames: int = 3) -> Dict:
    """Find what moves in a static scene in a way rain does not explain.

    A frame's change against its background (luma) above ``threshold`` is
    opened with a disc ``min_object_size`` px across, which removes rain
    streaks (thin) and the residue of sub-pixel alignment along edges
    (thinner); a pixel whose change survives in at least ``min_frames``
    frames is moving, since rain crosses a pixel within a frame or two.

    Args:
        frames (Sequence[np.ndarray]): Aligned BGR frames.
        backgrounds (Sequence[np.ndarray]): The background of each frame.
        threshold (float): Change in grey levels (Y, 0-255) that counts.
            Defaults to 20.
        min_object_size (int, optional): Smallest object width in px.
            Defaults to None: 1/80 of the shorter image side, at least 5.
        min_frames (int): Frames a pixel must change in. Defaults to 3.

    Returns:
        dict: ``mask`` (bool ``(H, W)``), ``fraction`` (of the image),
        ``boxes`` (``[x0, y0, x1, y1]`` of the connected regions, exclusive
        ends, largest first), ``frame_fractions`` (per frame, the fraction
        of the image where it shows a moving object) and
        ``min_object_size`` (the size used).
    """
    if len(frames) != len(backgrounds):
        raise ValueError(f'find_moving_objects got {len(frames)} frames but '
                         f'{len(backgrounds)} backgrounds.')
    size = min_object_size or _default_object_size(frames[0].shape)
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    changes = []
    for frame, background in zip(frames, backgrounds):
        changed = np.abs(_luma(frame) - _luma(background)) > threshold
        changes.append(
            cv2.morphologyEx(changed.astype(np.uint8), cv2.MORPH_OPEN, disc)
            > 0)
    changes = np.stack(changes)
    mask = changes.sum(axis=0) >= min_frames
    count, _, stats, _ = cv2.connectedComponentsWithStats(
        mask.astype(np.uint8), connectivity=8)
    regions = sorted(stats[1:count], key=lambda s: -s[cv2.CC_STAT_AREA])
    boxes = [[int(x), int(y), int(x + w), int(y + h)]
             for x, y, w, h, _ in regions]
    return dict(
        mask=mask,
        fraction=float(mask.mean()),
        boxes=boxes,
        frame_fractions=[float((c & mask).mean()) for c in changes],
        min_object_size=int(size))


def _window(position: int, count: int, window: Optional[int]) -> slice:
    """The ``window`` kept frames centred on ``position`` (of ``count``)."""
    if window is None or window >= count:
        return slice(0, count)
    start = min(max(position - window // 2, 0), count - window)
    return slice(start, start + window)


def _spaced(indices: Sequence[int], spacing: int) -> List[int]:
    chosen = []
    for index in indices:
        if not chosen or index - chosen[-1] >= spacing:
            chosen.append(index)
    return chosen


def _check_options(max_shift: float, max_motion: float, min_frames: int,
                   window: Optional[int], spacing: int,
                   on_moving: str) -> None:
    if max_shift <= 0 or max_motion <= 0:
        raise ValueError('max_shift and max_motion must be > 0 px, got '
                         f'{max_shift} and {max_motion}.')
    if min_frames < 2:
        raise ValueError(f'min_frames must be >= 2, got {min_frames}.')
    if window is not None and window < 2:
        raise ValueError(f'window must be >= 2 frames or None, got {window}.')
    if spacing < 1:
        raise ValueError(f'spacing must be >= 1, got {spacing}.')
    if on_moving not in ('flag', 'skip'):
        raise ValueError(f"on_moving must be 'flag' or 'skip', got "
                         f'{on_moving!r}.')


def make_pairs(frames: Sequence[np.ndarray],
               source: str = '<frames>',
               max_shift: float = 1.0,
               max_motion: float = 1.0,
               min_frames: int = 8,
               percentile: float = 50.0,
               window: Optional[int] = None,
               spacing: int = 1,
               grid: Sequence[int] = (3, 3),
               on_moving: str = 'flag',
               motion_threshold: float = 20.0,
               min_object_size: Optional[int] = None
               ) -> Tuple[List[Tuple[np.ndarray, np.ndarray]], Dict]:
    """Rainy/clean pairs and their provenance from the frames of a video.

    Nothing is written (see :func:`video_to_pairs`); the steps are those of
    the module docstring.

    Args:
        frames (Sequence[np.ndarray]): BGR ``uint8`` frames in time order.
        source (str): Where the frames came from, for messages and the
            provenance. Defaults to ``'<frames>'``.
        max_shift (float): Largest shift in px against the still frames'
            median that a kept frame may have (it is compensated).
            Defaults to 1.0.
        max_motion (float): Largest motion in px since the previous frame
            that a kept frame may have. Defaults to 1.0.
        min_frames (int): Fewest still frames to go on with; fewer raise
            :class:`CameraMotionError`. Defaults to 8.
        percentile (float): Background estimator: the per-pixel percentile
            over time; 50 is the median. Defaults to 50.
        window (int, optional): Kept frames (centred on the rainy frame)
            whose percentile is its background; longer clips may need it
            where the light changes. Defaults to None (all kept frames).
        spacing (int): Smallest gap in frame indices between two rainy
            frames used for pairs. Defaults to 1 (every kept frame).
        grid (Sequence[int]): Tiles for the shift estimate (see
            :func:`estimate_shifts`). Defaults to ``(3, 3)``.
        on_moving (str): ``'flag'`` records moving objects per pair;
            ``'skip'`` also leaves out rainy frames that show one.
            Defaults to ``'flag'``.
        motion_threshold (float): ``threshold`` of
            :func:`find_moving_objects`. Defaults to 20.
        min_object_size (int, optional): ``min_object_size`` of
            :func:`find_moving_objects`. Defaults to None.

    Returns:
        tuple: ``(pairs, provenance)``: ``(rainy, clean)`` BGR ``uint8``
        images and a JSON-serializable dict (see :func:`video_to_pairs`;
        ``moving_objects['mask']`` is still a bool array there).

    Raises:
        CameraMotionError: Fewer than ``min_frames`` still frames.
    """
    _check_options(max_shift, max_motion, min_frames, window, spacing,
                   on_moving)
    if len(frames) < min_frames:
        raise CameraMotionError(
            f'{source}: {len(frames)} frames, fewer than min_frames='
            f'{min_frames}; no pairs made.', source, np.zeros((0, 2)),
            np.zeros(0))
    estimate = estimate_shifts(frames, max_shift=max_shift, grid=grid)
    shifts, motion = estimate['shifts'], estimate['motion']
    records, kept = [], []
    for index, (shift, moved) in enumerate(zip(shifts, motion)):
        reasons = []
        if np.hypot(*shift) > max_shift:
            reasons.append(f'shift {np.hypot(*shift):.2f} px > max_shift '
                           f'{max_shift}')
        if moved > max_motion:
            reasons.append(f'moved {moved:.2f} px since the '
                           f'{"next" if index == 0 else "previous"} frame '
                           f'> max_motion {max_motion}')
        if not reasons:
            kept.append(index)
        records.append(
            dict(
                index=index,
                shift=[round(float(v), 3) for v in shift],
                motion=round(float(moved), 3),
                tile_spread=round(float(estimate['spread'][index]), 3),
                kept=not reasons,
                reason='; '.join(reasons) or None))
    if len(kept) < min_frames:
        listing = ', '.join(
            f'{r["index"]}: ({r["shift"][0]:+.2f}, {r["shift"][1]:+.2f}) / '
            f'{r["motion"]:.2f}' for r in records)
        raise CameraMotionError(
            f'{source}: {len(frames)} frames, {len(kept)} still (shift '
            f'against the median of the still frames <= {max_shift} px and '
            f'motion since the previous frame <= {max_motion} px), fewer '
            f'than min_frames={min_frames}: the camera moves (pan, tilt, '
            'hand-held), so no pairs are made. Per frame, index: (dx, dy) '
            f'shift px / motion px: {listing}.', source, shifts, motion)

    aligned = [_translate(frames[i], -shifts[i]) for i in kept]
    backgrounds, cache = [], {}
    for position in range(len(kept)):
        span = _window(position, len(kept), window)
        key = (span.start, span.stop)
        if key not in cache:
            cache[key] = estimate_background(aligned[span], percentile)
        backgrounds.append(cache[key])
    margin = int(math.ceil(np.abs(shifts[kept]).max() - 1e-6))
    height, width = frames[0].shape[:2]
    crop = (slice(margin, height - margin), slice(margin, width - margin))
    moving = find_moving_objects([frame[crop] for frame in aligned],
                                 [background[crop]
                                  for background in backgrounds],
                                 threshold=motion_threshold,
                                 min_object_size=min_object_size)
    frame_moving = dict(zip(kept, moving['frame_fractions']))
    chosen = _spaced(kept, spacing)
    if on_moving == 'skip':
        chosen = [i for i in chosen if frame_moving[i] == 0]
        if not chosen:
            raise ValueError(
                f'{source}: every still frame shows a moving object '
                f"({moving['fraction']:.2%} of the image, boxes "
                f"{moving['boxes'][:5]}), so on_moving='skip' leaves no "
                "pair; use on_moving='flag' or film without them.")
    pairs, pair_records = [], []
    for number, index in enumerate(chosen, start=1):
        position = kept.index(index)
        span = _window(position, len(kept), window)
        clean = _translate(backgrounds[position], shifts[index])[crop]
        rainy = np.ascontiguousarray(frames[index][crop])
        pairs.append((rainy, clean))
        pair_records.append(
            dict(
                rainy=f'rain-{number}.png',
                clean=f'norain-{number}.png',
                frame=int(index),
                window_frames=[int(i) for i in kept[span]],
                input_psnr_y=round(
                    float(
                        psnr(
                            clean,
                            rainy,
                            convert_to='Y',
                            channel_order='bgr')), 3),
                moving_fraction=round(frame_moving[index], 5)))
    provenance = dict(
        source=source,
        method='SPA-Data (Wang et al., CVPR 2019): still camera, per-pixel '
        'percentile over time of the aligned still frames',
        num_frames=len(frames),
        frame_size=[int(height), int(width)],
        background=('median' if percentile == 50 else
                    f'percentile {percentile:g}'),
        options=dict(
            max_shift=max_shift,
            max_motion=max_motion,
            min_frames=min_frames,
            percentile=percentile,
            window=window,
            spacing=spacing,
            grid=[int(g) for g in grid],
            on_moving=on_moving,
            motion_threshold=motion_threshold,
            min_object_size=moving['min_object_size']),
        reference_frames=estimate['reference_frames'],
        frames=records,
        kept_frames=[int(i) for i in kept],
        dropped_frames=[
            dict(index=r['index'], reason=r['reason']) for r in records
            if not r['kept']
        ],
        crop_border=margin,
        moving_objects=dict(
            mask=moving['mask'],
            fraction=round(moving['fraction'], 5),
            boxes=moving['boxes'],
            frames={
                str(i): round(f, 5)
                for i, f in frame_moving.items() if f > 0
            }),
        pairs=pair_records,
        mean_input_psnr_y=round(
            float(np.mean([p['input_psnr_y'] for p in pair_records])), 3))
    return pairs, provenance


def video_to_pairs(source: str,
                   out_dir: str,
                   max_frames: Optional[int] = None,
                   overwrite: bool = False,
                   **kwargs) -> Dict:
    """Turn a static-camera rain video into rainy/clean pairs on disk.

    Writes ``<out_dir>/rain-N.png`` (the rainy frame) and
    ``<out_dir>/norain-N.png`` (its background), N = 1, 2, ..., which
    ``Rain100Dataset(data_root=out_dir)`` reads, plus ``moving_mask.png``
    (white where moving objects were found) and ``provenance.json``:
    ``source``, ``method``, ``num_frames``, ``frame_size``, ``fps``,
    ``background`` (estimator), ``options``, ``reference_frames``,
    ``frames`` (per frame: ``shift`` ``(dx, dy)`` px, ``motion`` px,
    ``tile_spread`` px, ``kept``, ``reason``), ``kept_frames``,
    ``dropped_frames`` (index and reason), ``crop_border``,
    ``moving_objects`` (``fraction``, ``boxes`` in the written images'
    coordinates, ``frames``: per kept frame the fraction it shows, ``mask``
    file), ``pairs`` (per pair: files, ``frame``, ``window_frames``,
    ``input_psnr_y`` in dB, ``moving_fraction``) and ``mean_input_psnr_y``.

    Everything is measured before anything is written: a refused video
    (:class:`CameraMotionError`) leaves ``out_dir`` untouched.

    Args:
        source (str): Video file or folder of frames (see
            :func:`read_frames`).
        out_dir (str): Target folder; created if missing.
        max_frames (int, optional): Use only the first frames. Defaults to
            None (all).
        overwrite (bool): Allow an ``out_dir`` that already holds files.
            Defaults to False.
        **kwargs: Options of :func:`make_pairs`.

    Returns:
        dict: The provenance, as written.
    """
    if (not overwrite and osp.isdir(out_dir)
            and any(not n.startswith('.') for n in os.listdir(out_dir))):
        raise FileExistsError(f'"{out_dir}" is not empty; choose another '
                              'folder or allow overwriting.')
    frames, fps = read_frames(source, max_frames=max_frames)
    pairs, provenance = make_pairs(
        frames, source=osp.abspath(source), **kwargs)
    os.makedirs(out_dir, exist_ok=True)
    mask = provenance['moving_objects'].pop('mask')
    provenance['moving_objects']['mask'] = MOVING_MASK_FILE
    provenance['fps'] = fps
    outputs = [(MOVING_MASK_FILE, mask.astype(np.uint8) * 255)]
    for record, (rainy, clean) in zip(provenance['pairs'], pairs):
        outputs += [(record['rainy'], rainy), (record['clean'], clean)]
    for name, image in outputs:
        path = osp.join(out_dir, name)
        if not cv2.imwrite(path, image):
            raise OSError(f'Could not write "{path}".')
    atomic_write_text(
        osp.join(out_dir, PROVENANCE_FILE),
        json.dumps(provenance, indent=2) + '\n')
    return provenance
