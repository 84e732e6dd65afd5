"""Checks of image files and of rainy/clean pairs, at two depths.

- Quick (:func:`quick_check`, :func:`header_size`): the file's
  container structure and header, no pixel is decoded. A PNG's chunks are
  walked to its ``IEND`` chunk, each chunk must fit in the file and every
  chunk but the (large) image data ``IDAT`` must match its CRC; a JPEG must
  start with ``SOI``, its header segments must fit in the file up to the
  scan (``SOS``) and an ``EOI`` marker must follow the scan data within the
  last 4 KiB. Other formats are parsed and verified by PIL. This finds
  truncated files and non-image files under an image name; it does not see
  corrupt pixel data inside an intact container. The paired datasets run
  it on every pair when they are built (see
  :class:`~mmderain.datasets.BaseRainDataset`).
- Full (:func:`decode_problem`): the file is decoded as PIL does (which
  refuses truncated data) and as the training loader does (OpenCV through
  mmagic's ``LoadImageFromFile``); ``tools/analysis_tools/check_dataset.py``
  runs it.

Sizes are compared as the loader will see them: OpenCV (4.11 measured)
turns a JPEG or PNG by its EXIF orientation, so :func:`header_size` does
too.
"""
import os
import os.path as osp
import struct
import time
import zlib
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Tuple

import cv2
import numpy as np
from PIL import Image, UnidentifiedImageError

PNG_SIGNATURE = b'\x89PNG\r\n\x1a\n'
JPEG_SOI = b'\xff\xd8'
JPEG_EOI = b'\xff\xd9'
# How far from the end of a JPEG its EOI marker may sit (padding or a small
# trailer after the image data).
JPEG_EOI_WINDOW = 4096
# JPEG markers without a length field: TEM, RST0-7 (SOI and EOI are handled
# apart).
_STANDALONE_MARKERS = {0x01, *range(0xD0, 0xD8)}
# Start-of-frame markers (the ones that carry the image size): C0-CF but
# DHT (C4), JPG (C8) and DAC (CC).
_FRAME_MARKERS = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# EXIF orientations that swap width and height (transposed, rotated 90).
_TRANSPOSING_ORIENTATIONS = {5, 6, 7, 8}
_EXIF_ORIENTATION = 0x0112
_EXIF_HEADER = b'Exif\x00\x00'
_JPEG_APP1 = 0xE1
# PIL's errors for files it cannot parse or decode.
_PIL_ERRORS = (OSError, ValueError, SyntaxError, struct.error,
               UnidentifiedImageError, Image.DecompressionBombError)


# What a walk over a file's structure found: the problem (None if none),
# the stored (height, width) and the EXIF orientation (None if no EXIF).
_Walk = Tuple[Optional[str], Optional[Tuple[int, int]], Optional[int]]


def _orientation(exif: bytes) -> Optional[int]:
    """The orientation tag of EXIF data (TIFF, maybe after ``Exif\\0\\0``).
    """
    tags = Image.Exif()
    try:
        tags.load(exif)
    except _PIL_ERRORS:
        return None
    return tags.get(_EXIF_ORIENTATION)


def _walk_png(file, size: int) -> _Walk:
    """Walk the chunks of a PNG whose signature has been read."""
    offset = len(PNG_SIGNATURE)
    shape, orientation, seen_data = None, None, False
    while True:
        header = file.read(8)
        if len(header) < 8:
            return (f'truncated PNG: the file ends at byte {size} without '
                    'an IEND chunk'), None, None
        length, kind = struct.unpack('>I4s', header)
        end = offset + 12 + length
        name = kind.decode('latin-1')
        if end > size:
            return (f'truncated PNG: its {name!r} chunk at byte {offset} '
                    f'needs {end} bytes, the file has {size}'), None, None
        if offset == len(PNG_SIGNATURE) and kind != b'IHDR':
            return (f'not a valid PNG: the first chunk is {name!r}, not '
                    'IHDR'), None, None
        if kind == b'IDAT':
            seen_data = True
            file.seek(length + 4, os.SEEK_CUR)
        else:
            data = file.read(length)
            crc, = struct.unpack('>I', file.read(4))
            if zlib.crc32(kind + data) != crc:
                return (f'corrupt PNG: CRC mismatch in its {name!r} chunk '
                        f'at byte {offset}'), None, None
            if kind == b'IHDR' and length >= 8:
                width, height = struct.unpack('>II', data[:8])
                shape = (height, width)
            elif kind == b'eXIf':
                orientation = _orientation(data)
        if kind == b'IEND':
            if not seen_data:
                return 'corrupt PNG: no image data (IDAT)', None, None
            return None, shape, orientation
        offset = end


def _walk_jpeg(file, size: int) -> _Walk:
    """Walk the header segments of a JPEG whose SOI has been read."""
    offset = len(JPEG_SOI)
    shape, orientation = None, None
    while True:
        marker = file.read(2)
        if len(marker) < 2:
            return (f'truncated JPEG: the file ends at byte {size} before '
                    'the image data'), None, None
        if marker[0] != 0xFF:
            return f'corrupt JPEG: no marker at byte {offset}', None, None
        code = marker[1]
        if code == 0xFF:
            # Fill byte before a marker.
            offset += 1
            file.seek(offset)
            continue
        if code in _STANDALONE_MARKERS:
            offset += 2
            continue
        if code == JPEG_EOI[1]:
            return (f'corrupt JPEG: end of image at byte {offset}, before '
                    'any image data'), None, None
        field_bytes = file.read(2)
        if len(field_bytes) < 2:
            return (f'truncated JPEG: the file ends at byte {size} inside '
                    'its header'), None, None
        length, = struct.unpack('>H', field_bytes)
        end = offset + 2 + length
        if length < 2 or end > size:
            problem = (f'truncated JPEG: the segment 0xFF{code:02X} at byte '
                       f'{offset} needs {end} bytes, the file has {size}')
            return problem, None, None
        if code in _FRAME_MARKERS and shape is None:
            data = file.read(length - 2)
            if len(data) >= 5:
                shape = struct.unpack('>HH', data[1:5])
        elif code == _JPEG_APP1 and orientation is None:
            data = file.read(length - 2)
            if data.startswith(_EXIF_HEADER):
                orientation = _orientation(data)
        offset = end
        if code == 0xDA:
            break
        file.seek(offset)
    if shape is None:
        return ('corrupt JPEG: no frame header (SOF) before the image '
                'data'), None, None
    # Entropy-coded data cannot hold an EOI: every 0xFF byte in it is
    # followed by 0x00 or a restart marker. So an EOI after the first scan
    # header ends the image, and a truncated file has none.
    file.seek(max(offset, size - JPEG_EOI_WINDOW))
    if JPEG_EOI not in file.read():
        return ('truncated JPEG: no end-of-image marker (EOI) after the '
                f'image data in the last {JPEG_EOI_WINDOW} bytes'), None, None
    return None, shape, orientation


def _walk(path: str) -> _Walk:
    """Walk a PNG or JPEG (told by content, as OpenCV does); other formats
    are opened and verified by PIL."""
    try:
        size = osp.getsize(path)
        with open(path, 'rb') as file:
            head = file.read(len(PNG_SIGNATURE))
            if head == PNG_SIGNATURE:
                return _walk_png(file, size)
            if head.startswith(JPEG_SOI):
                file.seek(len(JPEG_SOI))
                return _walk_jpeg(file, size)
    except OSError as err:
        return f'cannot be read ({err})', None, None
    try:
        with Image.open(path) as image:
            width, height = image.size
            image.verify()
    except _PIL_ERRORS as err:
        return (f'not a readable image ({type(err).__name__}: {err})', None,
                None)
    return None, (height, width), None


def quick_check(path: str) -> Tuple[Optional[str], Optional[tuple]]:
    """Check an image file without decoding it, and read its size.

    See the module docstring for what is checked. The size is the one the
    loader will see: a JPEG's or PNG's EXIF orientation is applied, as
    OpenCV does.

    Args:
        path (str): The image file.

    Returns:
        tuple: ``(problem, (height, width))``: why the file is not a usable
        image (None if it passed) and its size (None if it did not).
    """
    problem, shape, orientation = _walk(path)
    if problem is not None:
        return problem, None
    if orientation in _TRANSPOSING_ORIENTATIONS:
        shape = shape[::-1]
    return None, tuple(shape)


def header_size(path: str) -> Tuple[int, int]:
    """``(height, width)`` of an image as the loader will see it, from its
    header (see :func:`quick_check`).

    Raises:
        OSError: The file is not a usable image; the message names it.
    """
    problem, shape = quick_check(path)
    if problem is not None:
        raise OSError(f'"{path}" is not a usable image: {problem}')
    return shape


def decode_problem(path: str) -> Tuple[Optional[str], Optional[tuple]]:
    """Decode an image fully, as PIL and as the training loader do.

    PIL refuses truncated or corrupt data that OpenCV would fill in with
    gray and only warn about, so a file must pass both.

    Args:
        path (str): The image file.

    Returns:
        tuple: ``(problem, (height, width))``: why the file cannot be used
        (None if it decodes) and its size as loaded (None if it does not
        decode).
    """
    try:
        with Image.open(path) as image:
            image.load()
    except _PIL_ERRORS as err:
        return f'PIL cannot decode it ({type(err).__name__}: {err})', None
    with open(path, 'rb') as file:
        data = np.frombuffer(file.read(), np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_COLOR)
    if image is None:
        return 'OpenCV (the training loader) cannot decode it', None
    return None, image.shape[:2]


@dataclass
class PairProblem:
    """A rainy/clean pair that cannot be used.

    Attributes:
        key (str): The pair's key in its dataset.
        rainy_path (str): The rainy image (the pair file for side-by-side
            pairs, the image for unpaired images).
        clean_path (str, optional): The clean image (the same file for
            side-by-side pairs, None for unpaired images).
        kind (str): ``'file'`` (a file is not a usable image) or ``'size'``
            (the sizes do not fit together).
        reason (str): What is wrong, naming the file it is about.
    """

    key: str
    rainy_path: str
    clean_path: Optional[str]
    kind: str
    reason: str

    def __str__(self) -> str:
        if self.clean_path is None:
            return f'{self.key}: {self.reason}'
        if self.rainy_path == self.clean_path:
            files = f'side-by-side pair "{self.rainy_path}"'
        else:
            files = (f'rainy "{self.rainy_path}" / clean '
                     f'"{self.clean_path}"')
        return f'{self.key}: {files}: {self.reason}'


@dataclass
class PairCheck:
    """The outcome of checking the pairs of a dataset.

    Attributes:
        num_items (int): Pairs (or unpaired images) checked.
        num_files (int): Distinct files checked.
        problems (list[PairProblem]): The pairs that cannot be used.
        sizes (dict): ``(height, width)`` of every good pair, keyed by
            ``(rainy_path, clean_path)`` (one half for side-by-side pairs).
        seconds (float): Time taken.
        paired (bool): Whether the items are pairs.
    """

    num_items: int = 0
    num_files: int = 0
    problems: List[PairProblem] = field(default_factory=list)
    sizes: Dict[Tuple[str, str], Tuple[int, int]] = field(default_factory=dict)
    seconds: float = 0.0
    paired: bool = True

    def count(self, kind: str) -> int:
        """Number of problems of ``kind`` (``'file'`` or ``'size'``)."""
        return sum(problem.kind == kind for problem in self.problems)


def _format_size(size: Tuple[int, int]) -> str:
    return f'{size[1]}x{size[0]}'


def size_mismatch(rainy_path: str, rainy_size: Tuple[int, int],
                  clean_path: str, clean_size: Tuple[int, int]) -> str:
    """The message for a rainy and a clean image of different sizes."""
    return (f'the rainy image "{rainy_path}" is {_format_size(rainy_size)}'
            f' but its clean image "{clean_path}" is '
            f'{_format_size(clean_size)}')


def odd_width(path: str, width: int) -> str:
    """The message for a side-by-side pair file of odd width."""
    return (f'"{path}" is {width} pixels wide; a side-by-side pair must '
            'have an even width')


class _FileCache:
    """Each file's ``(problem, size)``, found once (Rain14000's clean images
    serve 14 rainy ones)."""

    def __init__(self, full: bool) -> None:
        self.full = full
        self.files: Dict[str, Tuple[Optional[str], Optional[tuple]]] = {}

    def __call__(self, path: str) -> Tuple[Optional[str], Optional[tuple]]:
        if path not in self.files:
            self.files[path] = (
                decode_problem(path) if self.full else quick_check(path))
        return self.files[path]


def _unusable(path: str, problem: str) -> str:
    return f'"{path}" is not a usable image: {problem}'


def inspect_pairs(pairs: Iterable[Tuple[str, str, str]],
                  full: bool = False) -> PairCheck:
    """Check the files and sizes of rainy/clean pairs.

    A pair whose rainy and clean paths are the same file is a side-by-side
    pair: its file must have an even width and its size is one half's.
    Otherwise the rainy and the clean image must have the same size. Every
    file is checked once, however many pairs share it.

    Args:
        pairs (Iterable[tuple]): ``(key, rainy_path, clean_path)``.
        full (bool): Decode every file (:func:`decode_problem`) rather than
            the quick check (:func:`quick_check`). Defaults to False.

    Returns:
        PairCheck: Problems, sizes and counts.
    """
    start = time.perf_counter()
    inspect = _FileCache(full)
    report = PairCheck()
    for key, rainy_path, clean_path in pairs:
        report.num_items += 1
        found = []
        for path in dict.fromkeys((rainy_path, clean_path)):
            problem, size = inspect(path)
            if problem is not None:
                report.problems.append(
                    PairProblem(key, rainy_path, clean_path, 'file',
                                _unusable(path, problem)))
            found.append(size)
        if None in found:
            continue
        if len(found) == 1:
            height, width = found[0]
            if width % 2:
                report.problems.append(
                    PairProblem(key, rainy_path, clean_path, 'size',
                                odd_width(rainy_path, width)))
                continue
            size = (height, width // 2)
        elif found[0] != found[1]:
            report.problems.append(
                PairProblem(
                    key, rainy_path, clean_path, 'size',
                    size_mismatch(rainy_path, found[0], clean_path, found[1])))
            continue
        else:
            size = found[0]
        report.sizes[(rainy_path, clean_path)] = size
    report.num_files = len(inspect.files)
    report.seconds = time.perf_counter() - start
    return report


def inspect_images(images: Iterable[Tuple[str, str]],
                   full: bool = False) -> PairCheck:
    """Check unpaired image files (e.g. the photos of
    :class:`~mmderain.datasets.TTLImageDataset`).

    Args:
        images (Iterable[tuple]): ``(key, path)``.
        full (bool): Decode every file rather than the quick check.
            Defaults to False.

    Returns:
        PairCheck: Problems (kind ``'file'``), sizes keyed by ``(path,
        path)`` and counts, with ``paired=False``.
    """
    start = time.perf_counter()
    inspect = _FileCache(full)
    report = PairCheck(paired=False)
    for key, path in images:
        report.num_items += 1
        problem, size = inspect(path)
        if problem is None:
            report.sizes[(path, path)] = size
        else:
            report.problems.append(
                PairProblem(key, path, None, 'file', _unusable(path, problem)))
    report.num_files = len(inspect.files)
    report.seconds = time.perf_counter() - start
    return report
