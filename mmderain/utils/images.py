"""Image files: which names are images, their order, and reading them.

Images follow mmcv's convention: numpy arrays of shape (H, W, 3), dtype
uint8, channels in BGR order, as ``mmcv.imread`` returns them.
"""
import glob
import os
import os.path as osp
import re
from typing import List

import mmcv
import numpy as np

#: Extensions (lower case) of the files the datasets and tools read as
#: images: the formats OpenCV decodes and PIL reads headers of.
IMG_EXTENSIONS = ('.png', '.jpg', '.jpeg', '.bmp', '.ppm', '.tif', '.tiff',
                  '.webp')


def natural_key(name: str) -> list:
    """Sort key that orders ``rain-2`` before ``rain-10``."""
    return [
        int(part) if part.isdigit() else part.lower()
        for part in re.split(r'(\d+)', name)
    ]


def is_image_file(name: str) -> bool:
    """Whether a file name has an image extension (case-insensitive)."""
    return osp.splitext(name)[1].lower() in IMG_EXTENSIONS


def read_image(path: str) -> np.ndarray:
    """Read an image file as mmcv does: (H, W, 3) uint8 BGR.

    Gray images are repeated to three channels, an alpha channel is
    dropped and 16-bit images are scaled to 8 bits (OpenCV's colour mode);
    the EXIF orientation is applied.

    Raises:
        FileNotFoundError: The file does not exist.
        ValueError: The file is not an image OpenCV can decode.
    """
    img = mmcv.imread(path, flag='color')
    if img is None:
        raise ValueError(f'{path}: not an image file OpenCV can decode.')
    return img


def list_images(spec: str) -> List[str]:
    """The image files an input argument names.

    Args:
        spec (str): An image file, a folder (its images, not recursive) or a
            glob pattern (``'photos/*.jpg'``, ``'**'`` allowed).

    Returns:
        list[str]: Sorted paths. A single file is returned whatever its
        extension; folders and globs keep files with an image extension
        (:data:`IMG_EXTENSIONS`).

    Raises:
        FileNotFoundError: Nothing matches, or a folder holds no images.
    """
    if osp.isfile(spec):
        return [spec]
    if osp.isdir(spec):
        paths = [osp.join(spec, name) for name in os.listdir(spec)]
    else:
        paths = glob.glob(spec, recursive=True)
        if not paths:
            raise FileNotFoundError(
                f'Input {spec!r} is no file or folder and matches no files.')
    images = sorted(p for p in paths
                    if osp.isfile(p) and is_image_file(p))
    if not images:
        raise FileNotFoundError(
            f'Input {spec!r} holds no images (extensions {IMG_EXTENSIONS}).')
    return images
