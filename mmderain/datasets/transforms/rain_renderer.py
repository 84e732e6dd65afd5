"""A fast synthetic rain renderer (numpy + OpenCV only).

The recipe is the classic one behind most synthetic de-raining sets: sparse
Gaussian noise is thresholded into drop seeds, a motion-blur kernel of some
length and angle turns each seed into a streak, and the streak layer is added
to the clean image. Heavier looks stack several layers, denser, longer and
thicker streaks, and optionally a haze veil: the ``alpha * (B + S) +
(1 - alpha) * A`` rain-accumulation model of Yang et al., "Deep Joint Rain
Detection and Removal from a Single Image" (CVPR 2017, Eq. 3), with
``alpha = 1 - veil`` and ``A = haze_color``. Only ``heldout`` draws a veil:
the public Rain100H sample RainTrainH measures none (its lift is added,
whatever the background), and none is described for Rain800 or Rain14000,
so the presets named after public sets only add light.

A preset is a plain dict (see :data:`RAIN_PRESETS`), so users can pass their
own. Every entry is either a number or a ``(low, high)`` range sampled
uniformly per image (per layer for the per-layer entries). Lengths, widths
and radii are in pixels of the rendered image, so a 100x100 training patch
and a 128x128 test image carry streaks of the same size.

Keys of a preset:

- ``num_layers``: number of streak layers (integer range, inclusive).
- ``angle``: base streak direction in degrees from vertical (positive
  leans the top of a streak to the right).
- ``angle_spread``: each layer deviates from the base angle by up to this
  many degrees (several directions in one image).
- ``density``: fraction of pixels that seed a streak, per layer.
- ``length``: streak length in pixels, per layer.
- ``thickness``: streak width in pixels, per layer (1 = one pixel).
- ``intensity``: brightness a streak adds, in [0, 1], per layer.
- ``blur``: Gaussian sigma softening the whole rain layer (out of focus).
- ``drops``: blurred round drops (bokeh) per 100x100 pixels.
- ``drop_radius``: radius of those drops in pixels.
- ``drop_intensity``: brightness of those drops, in [0, 1].
- ``haze``: strength of the veil, in [0, 1) (0 = none).
- ``haze_color``: grey level of the veil (the atmospheric light), in [0, 1].
- ``haze_gradient``: fraction by which the veil fades from the top of the
  image to the bottom (distant scene at the top is hazier).
- ``types``: optional list of dicts overriding the keys above; the
  ``rain_type`` argument of :func:`render_rain` picks one (random if None).
  ``rain14000`` uses it for its 14 orientation/magnitude types.
"""
import copy
from numbers import Number
from statistics import NormalDist
from typing import Dict, Optional, Tuple, Union

import cv2
import numpy as np

Range = Union[float, Tuple[float, float]]

#: Every key a preset may set, with the value used when a preset omits it.
PRESET_DEFAULTS: Dict[str, Range] = dict(
    num_layers=1,
    angle=0.0,
    angle_spread=0.0,
    density=0.005,
    length=15.0,
    thickness=1.0,
    intensity=0.6,
    blur=0.0,
    drops=0.0,
    drop_radius=3.0,
    drop_intensity=0.3,
    haze=0.0,
    haze_color=0.85,
    haze_gradient=0.0,
)

# Rain14000 (Fu et al., "Removing Rain from Single Images via a Deep Detail
# Network", CVPR 2017) renders 14 rainy versions of each clean image, each
# with a different streak orientation and magnitude. Here: 7 orientations
# times 2 magnitudes; type ``t`` has angle _R14K_ANGLES[t % 7] and magnitude
# t // 7 (0 = light, 1 = heavy). The magnitudes put the rainy images about
# 28 and 23 dB Y-PSNR from their clean images (26 dB on average over the 14
# types, rendered over RainTrainL's clean photos), near the level commonly
# quoted for Rain1400's rainy test inputs (about 25 dB; no Rain14000 pair
# was at hand to check it). The angles and the two magnitudes are
# assumptions.
_R14K_ANGLES = (-30.0, -20.0, -10.0, 0.0, 10.0, 20.0, 30.0)
_R14K_MAGNITUDES = (
    dict(
        density=(0.002, 0.004),
        length=(10.0, 16.0),
        intensity=(0.3, 0.5),
        thickness=(1.0, 1.3)),
    dict(
        density=(0.003, 0.006),
        length=(16.0, 26.0),
        intensity=(0.4, 0.65),
        thickness=(1.0, 1.6)),
)

#: Built-in presets. ``heldout`` is a look none of the others uses (thin,
#: long, near-vertical, soft streaks; blurred drops on the lens; a
#: low-contrast veil that fades downwards), a stand-in for real rain such as
#: SPA-Data when measuring generalization to unseen rain.
RAIN_PRESETS: Dict[str, dict] = dict(
    # Light rain in one direction, fitted to the public rain of Rain100L's
    # training set (RainTrainL ids 1-158): its rain layers (rainy - clean)
    # have ~18% streak pixels adding ~0.11 on average, one direction per
    # image within about +-30 degrees of vertical, long (autocorrelation
    # half-width ~29 px), ~2.6 px wide, soft (out of focus) and grey. Measure
    # with tools/analysis_tools/rain_stats.py; README, "Rain that transfers".
    rain100l=dict(
        num_layers=1,
        angle=(-30.0, 30.0),
        angle_spread=1.0,
        density=(0.0015, 0.0045),
        length=(30.0, 55.0),
        thickness=(1.0, 1.8),
        intensity=(0.25, 0.6),
        blur=(0.5, 0.9),
    ),
    # Heavy rain, fitted to the public Rain100H training sample RainTrainH
    # (12 pairs): its rain layers have ~40% streak pixels adding ~0.16 over
    # a lift of ~0.15 (median) that does not depend on the background
    # (veil_slope ~0: dense overlapping streaks added and clipped at white,
    # not a veil blended towards a grey, which would darken bright
    # background), one direction per image within about +-15 degrees of
    # vertical (the layers within a few degrees of it), long
    # (autocorrelation half-width ~40 px), ~4 px wide, soft and grey; the
    # heaviness varies from image to image (1 to 7 layers). Fitting steps:
    # configs/prenet/README.md, "Rendered rain against public rain".
    rain100h=dict(
        num_layers=(1, 7),
        angle=(-15.0, 15.0),
        angle_spread=5.0,
        density=(0.002, 0.005),
        length=(35.0, 80.0),
        thickness=(1.5, 3.0),
        intensity=(0.2, 0.45),
        blur=(0.3, 0.6),
    ),
    # Rain14000 (Fu et al., CVPR 2017): 1,000 clean photos (UCID, BSD and
    # the web), each rendered in Photoshop with 14 streak orientations and
    # magnitudes (12,600 training and 1,400 test images). Photoshop rain is
    # a streak layer added or screen-blended over the photo: it adds light
    # and never darkens, and no veil is described, so none is drawn. Not
    # measured (no Rain14000 pair is at hand here): the streaks' density,
    # length, width and softness, the 14 types' actual angles and
    # magnitudes, and the blend mode. See _R14K_ANGLES for the types.
    rain14000=dict(
        num_layers=1,
        angle_spread=3.0,
        types=[
            dict(angle=_R14K_ANGLES[t % 7], **_R14K_MAGNITUDES[t // 7])
            for t in range(14)
        ],
    ),
    # Rain800 (Zhang, Sindagi and Patel, "Image De-raining Using a
    # Conditional Generative Adversarial Network", IEEE TCSVT 2019): 700
    # training and 100 test pairs over UCID and BSD-500 photos, the rain
    # drawn in Photoshop at varied densities, intensities and orientations,
    # so light and heavy images mix; no veil is described. Drawn here:
    # density, length and direction varying widely from image to image,
    # added light only (no haze), 22 dB Y-PSNR on average over RainTrainL's
    # clean photos (18 to 27 dB from the 10th to the 90th percentile), near
    # the level commonly quoted for Rain800's rainy test inputs (about
    # 22 dB; no Rain800 pair was at hand to check it). It used to be as
    # heavy as rain100h (15 dB, a median lift of 0.05, under a grey haze of
    # up to 0.1), which no description supports and which, in the demo's
    # mixture, taught the model to darken real rain. Not measured: every
    # streak statistic, and whether some images carry a veil.
    rain800=dict(
        num_layers=(1, 2),
        angle=(-30.0, 30.0),
        angle_spread=10.0,
        density=(0.0005, 0.008),
        length=(8.0, 35.0),
        thickness=(1.0, 2.0),
        intensity=(0.3, 0.8),
    ),
    heldout=dict(
        num_layers=(1, 2),
        angle=(-4.0, 4.0),
        angle_spread=2.0,
        density=(0.002, 0.006),
        length=(30.0, 60.0),
        thickness=1.0,
        intensity=(0.25, 0.45),
        blur=0.5,
        drops=(3.0, 8.0),
        drop_radius=(2.0, 5.0),
        drop_intensity=(0.2, 0.4),
        haze=(0.1, 0.25),
        haze_color=(0.75, 0.9),
        haze_gradient=0.5,
    ),
)

_INT_KEYS = ('num_layers', )


def _check_range(name: str, value, where: str) -> None:
    if isinstance(value, Number):
        return
    if (isinstance(value, (tuple, list)) and len(value) == 2
            and all(isinstance(v, Number) for v in value)
            and value[0] <= value[1]):
        return
    raise ValueError(f'{where}: "{name}" must be a number or a (low, high) '
                     f'pair with low <= high, got {value!r}.')


def _check_keys(preset: dict, where: str) -> None:
    unknown = sorted(set(preset) - set(PRESET_DEFAULTS) - {'types'})
    if unknown:
        raise ValueError(f'{where}: unknown keys {unknown}; valid keys are '
                         f'{sorted(PRESET_DEFAULTS) + ["types"]}.')
    for name, value in preset.items():
        if name != 'types':
            _check_range(name, value, where)


def resolve_preset(preset: Union[str, dict]) -> dict:
    """Look up and validate a preset.

    Args:
        preset (str | dict): A name in :data:`RAIN_PRESETS` or a preset dict.

    Returns:
        dict: A validated copy of the preset (without defaults filled in).
    """
    if isinstance(preset, str):
        if preset not in RAIN_PRESETS:
            raise ValueError(f'Unknown rain preset "{preset}"; valid presets '
                             f'are {sorted(RAIN_PRESETS)} (or pass a dict).')
        return copy.deepcopy(RAIN_PRESETS[preset])
    if not isinstance(preset, dict):
        raise TypeError('preset must be a preset name or a dict, got '
                        f'{type(preset).__name__}.')
    preset = copy.deepcopy(preset)
    _check_keys(preset, 'rain preset')
    types = preset.get('types')
    if types is not None:
        if not isinstance(types, (list, tuple)) or not types:
            raise ValueError('rain preset: "types" must be a non-empty list '
                             'of dicts.')
        for i, rain_type in enumerate(types):
            if not isinstance(rain_type, dict):
                raise ValueError(f'rain preset: types[{i}] must be a dict.')
            if 'types' in rain_type:
                raise ValueError(f'rain preset: types[{i}] cannot nest '
                                 '"types".')
            _check_keys(rain_type, f'rain preset types[{i}]')
    return preset


def num_rain_types(preset: Union[str, dict]) -> int:
    """Number of rain types of a preset (1 when it defines no ``types``)."""
    types = resolve_preset(preset).get('types')
    return len(types) if types else 1


def _sample(value: Range, rng: np.random.Generator, integer: bool = False):
    if isinstance(value, Number):
        return int(value) if integer else float(value)
    low, high = value
    if integer:
        return int(rng.integers(int(low), int(high) + 1))
    return float(rng.uniform(low, high))


def _streak_kernel(length: float, angle: float,
                   thickness: float) -> np.ndarray:
    """A motion-blur kernel: a tapered line of peak 1 (not sum 1), so a
    streak keeps the brightness of its seed whatever its length."""
    half = max(length, 2.0) / 2.0
    size = 2 * int(np.ceil(half + thickness)) + 1
    center = size // 2
    theta = np.deg2rad(angle)
    dx, dy = -np.sin(theta) * half, np.cos(theta) * half
    shift = 4  # sub-pixel end points: cv2 coordinates in 1/16 pixel
    scale = 1 << shift
    kernel = np.zeros((size, size), np.float32)
    cv2.line(kernel, (int(round(
        (center - dx) * scale)), int(round(
            (center - dy) * scale))), (int(round(
                (center + dx) * scale)), int(round((center + dy) * scale))),
             1.0, 1, cv2.LINE_AA, shift)
    if thickness > 1.0:
        kernel = cv2.GaussianBlur(kernel, (0, 0),
                                  (thickness - 1.0) * 0.5 + 1e-3)
    # Streaks fade towards both ends, as real drops do within one exposure.
    yy, xx = np.mgrid[:size, :size].astype(np.float32) - center
    along = np.abs(xx * -np.sin(theta) + yy * np.cos(theta)) / (half + 1.0)
    kernel *= np.sqrt(np.clip(1.0 - along**2, 0.0, 1.0))
    peak = kernel.max()
    return kernel / peak if peak > 0 else kernel


def _streak_layer(shape: Tuple[int, int], params: dict, angle: float,
                  rng: np.random.Generator) -> np.ndarray:
    density = min(max(_sample(params['density'], rng), 1e-6), 0.5)
    length = _sample(params['length'], rng)
    thickness = max(_sample(params['thickness'], rng), 1.0)
    intensity = _sample(params['intensity'], rng)
    noise = rng.standard_normal(shape, dtype=np.float32)
    threshold = NormalDist().inv_cdf(1.0 - density)
    # The excess of a Gaussian over a high threshold t is close to an
    # exponential of scale 1/t: multiplying by t gives seed brightnesses
    # spread over (0, 1] instead of identical seeds.
    seeds = np.clip((noise - threshold) * max(threshold, 1.0), 0.0, 1.0)
    kernel = _streak_kernel(length, angle, thickness)
    streaks = cv2.filter2D(seeds, -1, kernel, borderType=cv2.BORDER_REFLECT)
    return np.clip(streaks * intensity, 0.0, 1.0)


def _drop_layer(shape: Tuple[int, int], params: dict,
                rng: np.random.Generator) -> Optional[np.ndarray]:
    height, width = shape
    count = int(round(_sample(params['drops'], rng) * height * width / 1e4))
    if count <= 0:
        return None
    layer = np.zeros(shape, np.float32)
    radii = []
    for _ in range(count):
        radius = max(_sample(params['drop_radius'], rng), 1.0)
        radii.append(radius)
        center = (int(rng.integers(width)), int(rng.integers(height)))
        cv2.circle(layer, center, int(round(radius)),
                   _sample(params['drop_intensity'], rng), -1, cv2.LINE_AA)
    return cv2.GaussianBlur(layer, (0, 0), 0.5 * float(np.mean(radii)))


def render_rain_layer(
        shape: Tuple[int, int],
        preset: Union[str, dict],
        rng: np.random.Generator,
        rain_type: Optional[int] = None
) -> Tuple[np.ndarray, np.ndarray, float]:
    """Render the rain of one image without applying it.

    Args:
        shape (tuple[int, int]): Height and width.
        preset (str | dict): Preset name or dict (see module docstring).
        rng (np.random.Generator): Source of all randomness.
        rain_type (int, optional): Index into the preset's ``types``;
            random when None. Defaults to None.

    Returns:
        tuple: ``(rain, veil, haze_color)``: the additive rain layer and the
        per-pixel veil strength (both float32 arrays of ``shape`` in [0, 1])
        and the veil's grey level.
    """
    params = dict(PRESET_DEFAULTS)
    preset = resolve_preset(preset)
    types = preset.pop('types', None)
    params.update(preset)
    if types:
        if rain_type is None:
            rain_type = int(rng.integers(len(types)))
        if not 0 <= rain_type < len(types):
            raise ValueError(f'rain_type {rain_type} is out of range: this '
                             f'preset has {len(types)} types '
                             f'(0..{len(types) - 1}).')
        params.update(types[rain_type])
    elif rain_type not in (None, 0):
        raise ValueError(f'rain_type {rain_type} given, but the preset '
                         'defines no "types".')

    shape = (int(shape[0]), int(shape[1]))
    base_angle = _sample(params['angle'], rng)
    spread = _sample(params['angle_spread'], rng)
    num_layers = max(_sample(params['num_layers'], rng, integer=True), 1)
    # Screen blending keeps overlapping layers in [0, 1].
    keep = np.ones(shape, np.float32)
    for _ in range(num_layers):
        angle = base_angle + float(rng.uniform(-spread, spread))
        keep *= 1.0 - _streak_layer(shape, params, angle, rng)
    drops = _drop_layer(shape, params, rng)
    if drops is not None:
        keep *= 1.0 - np.clip(drops, 0.0, 1.0)
    rain = 1.0 - keep
    blur = _sample(params['blur'], rng)
    if blur > 0:
        rain = cv2.GaussianBlur(rain, (0, 0), blur)

    haze = min(max(_sample(params['haze'], rng), 0.0), 0.99)
    gradient = min(max(_sample(params['haze_gradient'], rng), 0.0), 1.0)
    rows = np.linspace(0.0, 1.0, shape[0], dtype=np.float32)[:, None]
    veil = np.broadcast_to(haze * (1.0 - gradient * rows), shape)
    return rain, np.ascontiguousarray(veil, np.float32), _sample(
        params['haze_color'], rng)


def render_rain(image: np.ndarray,
                preset: Union[str, dict] = 'rain100l',
                rng: Union[np.random.Generator, int, None] = None,
                rain_type: Optional[int] = None) -> np.ndarray:
    """Add synthetic rain to a clean image.

    ``rainy = (1 - veil) * clip(clean + rain) + veil * haze_color``.

    Args:
        image (np.ndarray): Clean image, ``(H, W)`` or ``(H, W, C)``, uint8
            in [0, 255] or float in [0, 1]. Rain is grey: the same on every
            channel, so the channel order does not matter.
        preset (str | dict): One of ``'rain100l'``, ``'rain100h'``,
            ``'rain14000'``, ``'rain800'``, ``'heldout'``, or a preset dict.
            Defaults to ``'rain100l'``.
        rng (np.random.Generator | int, optional): Generator (or seed) for
            all randomness; a fresh unseeded one when None.
        rain_type (int, optional): For presets with ``types`` (rain14000:
            0..13), which type to render; random when None.

    Returns:
        np.ndarray: The rainy image, same shape and dtype as ``image``.
    """
    if not isinstance(image, np.ndarray) or image.ndim not in (2, 3):
        raise ValueError('image must be an (H, W) or (H, W, C) array, got '
                         f'{getattr(image, "shape", type(image))}.')
    if not isinstance(rng, np.random.Generator):
        rng = np.random.default_rng(rng)
    rain, veil, haze_color = render_rain_layer(image.shape[:2], preset, rng,
                                               rain_type)
    is_uint8 = image.dtype == np.uint8
    clean = image.astype(np.float32)
    if is_uint8:
        clean /= 255.0
    if clean.ndim == 3:
        rain, veil = rain[..., None], veil[..., None]
    rainy = np.clip(clean + rain, 0.0, 1.0)
    rainy = (1.0 - veil) * rainy + veil * haze_color
    if is_uint8:
        return np.clip(rainy * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return rainy.astype(image.dtype)
