"""Clean photos that ship inside installed packages (no download).

Natural colour photos bundled with scikit-image (``skimage.data``),
scikit-learn (``sklearn.datasets.load_sample_image``) and matplotlib
(``matplotlib.cbook.get_sample_data``), all runtime dependencies of
mmderain. Grey-scale, microscopy, astronomy and synthetic test images of
those packages are left out: they do not look like the outdoor photos rain
falls on.

The split is fixed so no test image is ever trained on. The two stereo
motorcycle views show the same scene and therefore sit in the same split.
"""
from typing import Callable, Dict, List, Tuple

import numpy as np


def _skimage(name: str) -> Callable[[], np.ndarray]:

    def load() -> np.ndarray:
        from skimage import data
        return getattr(data, name)()

    return load


def _skimage_motorcycle(view: int) -> Callable[[], np.ndarray]:

    def load() -> np.ndarray:
        from skimage import data
        return data.stereo_motorcycle()[view]

    return load


def _sklearn(filename: str) -> Callable[[], np.ndarray]:

    def load() -> np.ndarray:
        from sklearn.datasets import load_sample_image
        return load_sample_image(filename)

    return load


def _matplotlib(filename: str) -> Callable[[], np.ndarray]:

    def load() -> np.ndarray:
        import cv2
        from matplotlib import cbook
        path = str(cbook.get_sample_data(filename, asfileobj=False))
        image = cv2.imread(path, cv2.IMREAD_COLOR)
        if image is None:
            raise OSError(f'cannot read {path}')
        return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)

    return load


#: name -> loader returning an RGB uint8 array.
EMBEDDED_LOADERS: Dict[str, Callable[[], np.ndarray]] = {
    'astronaut': _skimage('astronaut'),
    'chelsea': _skimage('chelsea'),
    'coffee': _skimage('coffee'),
    'rocket': _skimage('rocket'),
    'motorcycle_left': _skimage_motorcycle(0),
    'motorcycle_right': _skimage_motorcycle(1),
    'china': _sklearn('china.jpg'),
    'flower': _sklearn('flower.jpg'),
    'grace_hopper': _matplotlib('grace_hopper.jpg'),
}

#: Fixed train/test split of :data:`EMBEDDED_LOADERS`.
EMBEDDED_SPLITS: Dict[str, Tuple[str, ...]] = {
    'train': ('astronaut', 'chelsea', 'rocket', 'motorcycle_left',
              'motorcycle_right', 'flower', 'grace_hopper'),
    'test': ('coffee', 'china'),
}

_cache: Dict[str, np.ndarray] = {}


def load_embedded_image(name: str) -> np.ndarray:
    """One embedded photo, cached in-process.

    Args:
        name (str): A key of :data:`EMBEDDED_LOADERS`.

    Returns:
        np.ndarray: ``(H, W, 3)`` RGB uint8, read-only (it is shared by the
        cache; copy before changing it).
    """
    if name not in EMBEDDED_LOADERS:
        raise KeyError(f'Unknown embedded image "{name}"; available: '
                       f'{sorted(EMBEDDED_LOADERS)}.')
    if name not in _cache:
        try:
            image = EMBEDDED_LOADERS[name]()
        except Exception as error:
            raise RuntimeError(
                f'Could not load the embedded photo "{name}" from its '
                'installed package (scikit-image, scikit-learn or '
                f'matplotlib): {error}') from error
        image = np.ascontiguousarray(image[..., :3], dtype=np.uint8)
        image.flags.writeable = False
        _cache[name] = image
    return _cache[name]


def embedded_images(split: str) -> List[Tuple[str, np.ndarray]]:
    """All embedded photos of a split.

    Args:
        split (str): ``'train'`` or ``'test'``.

    Returns:
        list[tuple[str, np.ndarray]]: ``(name, RGB uint8 image)`` pairs.
    """
    if split not in EMBEDDED_SPLITS:
        raise ValueError(f'Unknown split "{split}"; valid splits are '
                         f'{sorted(EMBEDDED_SPLITS)}.')
    return [(name, load_embedded_image(name))
            for name in EMBEDDED_SPLITS[split]]
