import os
import os.path as osp
import re
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

from mmengine.dataset import BaseDataset

from mmderain.utils.images import IMG_EXTENSIONS, is_image_file, natural_key
from .checks import header_size, inspect_pairs, size_mismatch


def list_images(folder: str, owner: str, what: str = 'images') -> List[str]:
    """Image file names in a folder, naturally sorted.

    Args:
        folder (str): Folder to list (not recursive).
        owner (str): Name used in error messages (the dataset class).
        what (str): What the folder should hold, for error messages.

    Returns:
        list[str]: File names (not paths).

    Raises:
        FileNotFoundError: ``folder`` does not exist or is not a folder.
        ValueError: ``folder`` holds no image file.
    """
    if not osp.isdir(folder):
        raise FileNotFoundError(f'{owner}: the folder of {what} "{folder}" '
                                'does not exist.')
    names = sorted((n for n in os.listdir(folder)
                    if is_image_file(n) and osp.isfile(osp.join(folder, n))),
                   key=natural_key)
    if not names:
        raise ValueError(f'{owner}: the folder of {what} "{folder}" holds no '
                         f'image file (extensions {IMG_EXTENSIONS}).')
    return names


def template_regex(template: str) -> 're.Pattern':
    """A regex matching a file stem made from ``template`` (one ``{}``).

    The ``{}`` field captures the image id; the rest must match literally.
    """
    if template.count('{}') != 1:
        raise ValueError(f'filename template {template!r} must contain '
                         'exactly one "{}".')
    head, tail = template.split('{}')
    return re.compile(f'^{re.escape(head)}(.+?){re.escape(tail)}$')


def check_id_range(
        owner: str,
        id_range: Optional[Sequence[int]]) -> Optional[Tuple[int, int]]:
    """Validate an inclusive ``(first, last)`` range of image ids.

    Args:
        owner (str): Name used in error messages (the dataset class).
        id_range (Sequence[int], optional): The range, or None (all ids).

    Returns:
        tuple[int, int] | None: The range as ints.
    """
    if id_range is None:
        return None
    if len(id_range) != 2 or int(id_range[0]) > int(id_range[1]):
        raise ValueError(f'{owner}: id_range must be an inclusive (first, '
                         f'last) pair with first <= last, got {id_range!r}.')
    return int(id_range[0]), int(id_range[1])


def find_partner(folder: str,
                 stem: str,
                 preferred_ext: str = '') -> Optional[str]:
    """Path of ``folder/stem.<ext>`` for the first existing image extension.

    ``preferred_ext`` is tried first (pairs usually share an extension); the
    extension case is tried as given, lower and upper.
    """
    candidates = [preferred_ext] if preferred_ext else []
    for ext in IMG_EXTENSIONS:
        candidates += [ext, ext.upper()]
    for ext in candidates:
        path = osp.join(folder, stem + ext)
        if osp.isfile(path):
            return path
    return None


def check_patch_grid(owner: str,
                     patch_grid: Optional[dict]) -> Optional[dict]:
    """Validate ``patch_grid`` (see :class:`BaseRainDataset`).

    Args:
        owner (str): Name used in error messages (the dataset class).
        patch_grid (dict, optional): ``size``, optional ``stride`` (default
            ``size``) and ``hflip_copy`` (default False), or None.

    Returns:
        dict | None: The grid with every key set.
    """
    if patch_grid is None:
        return None
    unknown = set(patch_grid) - {'size', 'stride', 'hflip_copy'}
    if unknown or 'size' not in patch_grid:
        raise ValueError(f'{owner}: patch_grid takes the keys size, stride '
                         f'and hflip_copy (size required), got '
                         f'{dict(patch_grid)!r}.')
    grid = dict(
        size=patch_grid['size'],
        stride=patch_grid.get('stride', patch_grid['size']),
        hflip_copy=patch_grid.get('hflip_copy', False))
    for key in ('size', 'stride'):
        value = grid[key]
        if isinstance(value, bool) or not isinstance(value,
                                                     int) or value < 1:
            raise ValueError(f'{owner}: patch_grid {key} must be a positive '
                             f'integer, got {value!r}.')
    if not isinstance(grid['hflip_copy'], bool):
        raise ValueError(f'{owner}: patch_grid hflip_copy must be True or '
                         f'False, got {grid["hflip_copy"]!r}.')
    return grid


class BaseRainDataset(BaseDataset):
    """Base class of the paired rainy/clean datasets.

    Subclasses implement :meth:`collect_pairs`; this class turns the pairs
    into mmagic-style data infos (``img_path`` = rainy image, ``gt_path`` =
    clean image, ``key``), loaded by mmagic's ``LoadImageFromFile`` with
    ``key='img'`` / ``key='gt'``. Nothing is ever skipped silently: a
    missing or empty folder and a rainy image without its clean partner
    raise an error naming the path. Files without an image extension (e.g.
    ``README.txt``) are not part of the dataset.

    Bad pairs are refused before any work starts: with ``check_pairs`` (the
    default) every pair is checked when the dataset is built, from the file
    headers and structure without decoding a pixel
    (:func:`~mmderain.datasets.checks.quick_check`): a truncated or
    non-image file, and a rainy and clean image of different sizes (a
    side-by-side pair file of odd width), raise one error that lists every
    bad pair with both of its files. What only a full decode can find
    (corrupt pixel data in an intact file) is found when the pair is
    loaded: when a pipeline step fails on a pair, the pair is decoded and
    the error names both files and what is wrong (with
    ``check_pairs=False`` this is the only check, and a size mismatch is
    only caught by a step that compares sizes, such as a paired crop).
    ``tools/analysis_tools/check_dataset.py`` decodes every file of a
    dataset beforehand.

    Image formats: with ``LoadImageFromFile``'s default
    ``color_type='color'`` OpenCV converts every image to 3-channel 8-bit:
    grayscale is replicated into three channels, the alpha channel of RGBA
    is dropped (not composited), and 16-bit images are scaled to 8 bits
    (value // 256).

    Args:
        data_root (str): Root folder of the dataset.
        data_prefix (dict): Sub-folders under ``data_root``, keys ``img``
            (rainy) and ``gt`` (clean).
        pipeline (list[dict | Callable]): Processing pipeline.
        test_mode (bool): Whether the dataset is used for testing.
        metainfo (dict, optional): Meta information; by default the class's
            ``METAINFO``.
        patch_grid (dict, optional): ``dict(size, stride=size,
            hflip_copy=False)``: expand every pair into its grid patches of
            ``size x size`` at ``stride``, with ``hflip_copy`` also those of
            the horizontally flipped pair. A pair smaller than ``size`` is an
            error naming the file. Defaults to None (one data info per
            pair).
        check_pairs (bool): Check the files and sizes of every pair when the
            dataset is built (see above). It reads the header and the chunk
            or segment headers of every file once: about 0.1 ms per PNG of
            RainTrainL and 0.03 ms per JPEG with a warm page cache, against
            3-8 ms to decode it. Defaults to True.
        **kwargs: Other arguments of :class:`mmengine.dataset.BaseDataset`.
    """

    METAINFO = dict(dataset_type='rain_dataset', task_name='deraining')
    # Bad pairs named in the error of the build-time check; the rest are
    # counted.
    MAX_LISTED_PROBLEMS = 20

    def __init__(self,
                 data_root: str = '',
                 data_prefix: Optional[Dict[str, str]] = None,
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 test_mode: bool = False,
                 metainfo: Optional[dict] = None,
                 patch_grid: Optional[dict] = None,
                 check_pairs: bool = True,
                 **kwargs) -> None:
        self.patch_grid = check_patch_grid(type(self).__name__, patch_grid)
        self.check_pairs = check_pairs
        if not data_root and 'ann_file' not in kwargs:
            raise ValueError(f'{type(self).__name__}: data_root is empty; '
                             'give the folder that holds the dataset.')
        if data_prefix is None:
            data_prefix = self.default_prefix(data_root)
        super().__init__(
            data_root=data_root,
            data_prefix=dict(data_prefix),
            pipeline=list(pipeline),
            test_mode=test_mode,
            metainfo=metainfo,
            **kwargs)

    def default_prefix(self, data_root: str) -> Dict[str, str]:
        """``data_prefix`` used when none is given."""
        return dict(img='', gt='')

    def collect_pairs(self) -> List[Tuple[str, str, str, dict]]:
        """Find the pairs.

        Returns:
            list[tuple]: ``(key, rainy_path, clean_path, extra_info)`` for
            every pair, in a stable order.
        """
        raise NotImplementedError

    def load_data_list(self) -> List[dict]:
        """Turn :meth:`collect_pairs` into data infos (one per patch with
        ``patch_grid``), checked with ``check_pairs``."""
        pairs = self.collect_pairs()
        if not pairs:
            raise ValueError(f'{type(self).__name__}: no rainy/clean pair '
                             f'found under "{self.data_root}".')
        sizes = self.verify_pairs(pairs) if self.check_pairs else None
        data_list = [
            dict(key=key, img_path=img_path, gt_path=gt_path, **extra)
            for key, img_path, gt_path, extra in pairs
        ]
        if self.patch_grid is not None:
            data_list = self.expand_patch_grid(data_list, sizes)
        return data_list

    def verify_pairs(
        self, pairs: List[Tuple[str, str, str, dict]]
    ) -> Dict[Tuple[str, str], Tuple[int, int]]:
        """The quick check of every pair (see the class docstring).

        Args:
            pairs (list[tuple]): What :meth:`collect_pairs` returned.

        Returns:
            dict: ``(height, width)`` of every pair, keyed by ``(img_path,
            gt_path)``.

        Raises:
            ValueError: Some pairs are bad; the message lists each one
                (at most ``MAX_LISTED_PROBLEMS``) with both of its files.
        """
        report = inspect_pairs(
            (key, img_path, gt_path) for key, img_path, gt_path, _ in pairs)
        if report.problems:
            listed = report.problems[:self.MAX_LISTED_PROBLEMS]
            more = len(report.problems) - len(listed)
            raise ValueError(
                f'{type(self).__name__}: {len(report.problems)} problem(s) '
                f'in the {report.num_items} pairs under "{self.data_root}" '
                '(found when the dataset was built, from the file headers '
                'and structure; check_pairs=False skips this check):\n' +
                '\n'.join(f'  {p}' for p in listed) +
                (f'\n  ... and {more} more' if more else ''))
        return report.sizes

    def prepare_data(self, idx: int) -> dict:
        """Run the pipeline on pair ``idx``; a failure names the pair's files.

        mmagic's loaders and crops report a corrupt file as an OpenCV
        assertion and a size mismatch without file names; here the pair is
        decoded in full (only after a failure, so loading stays as fast) and
        the error names both files and what is wrong.
        """
        try:
            return super().prepare_data(idx)
        except Exception as err:
            info = self.get_data_info(idx)
            paths = [info['img_path'], info['gt_path']]
            report = inspect_pairs([(info['key'], *paths)], full=True)
            if report.problems:
                raise ValueError(f'{type(self).__name__}: '
                                 f'{report.problems[0]}.') from err
            # Files fine: the pipeline's own error (e.g. a patch larger than
            # the images), of its own type, with the pair named under it.
            if hasattr(err, 'add_note'):
                err.add_note(f'{type(self).__name__}: while loading the pair '
                             f'"{paths[0]}" / "{paths[1]}".')
            raise

    def pair_size(self, info: dict) -> Tuple[int, int]:
        """``(height, width)`` of the rainy and the clean image of a pair.

        Raises:
            ValueError: The two images differ in size.
        """
        size = header_size(info['img_path'])
        clean_size = header_size(info['gt_path'])
        if size != clean_size:
            raise ValueError(f'{type(self).__name__}: ' + size_mismatch(
                info['img_path'], size, info['gt_path'], clean_size) + '.')
        return size

    def expand_patch_grid(
        self,
        data_list: List[dict],
        sizes: Optional[Dict[Tuple[str, str], Tuple[int, int]]] = None
    ) -> List[dict]:
        """One data info per grid patch of every pair (PReNet's
        ``Im2Patch``), and per flipped copy with ``hflip_copy``.

        Args:
            data_list (list[dict]): One data info per pair.
            sizes (dict, optional): Pair sizes from :meth:`verify_pairs`;
                without them the headers are read (:meth:`pair_size`).
        """
        size = self.patch_grid['size']
        stride = self.patch_grid['stride']
        flips = (False, True) if self.patch_grid['hflip_copy'] else (False, )
        patches = []
        for info in data_list:
            if sizes is None:
                height, width = self.pair_size(info)
            else:
                height, width = sizes[(info['img_path'], info['gt_path'])]
            if height < size or width < size:
                raise ValueError(
                    f'{type(self).__name__}: "{info["img_path"]}" gives a '
                    f'{width}x{height} pair, smaller than the {size}x{size} '
                    'patches of patch_grid.')
            for hflip in flips:
                for top in range(0, height - size + 1, stride):
                    for left in range(0, width - size + 1, stride):
                        # The patch at `left` of the flipped image is the
                        # mirror of the one at `width - size - left`.
                        source_left = width - size - left if hflip else left
                        suffix = '_hflip' if hflip else ''
                        patches.append(
                            dict(
                                info,
                                key=f'{info["key"]}_y{top}_x{left}{suffix}',
                                grid_patch=dict(
                                    top=top,
                                    left=source_left,
                                    size=size,
                                    hflip=hflip)))
        return patches

    def pair_folders(
        self, partner: Callable[[str, str], Optional[Tuple[str, dict]]]
    ) -> List[Tuple[str, str, str, dict]]:
        """Pair every rainy image of ``data_prefix['img']`` with a clean
        image of ``data_prefix['gt']``.

        Args:
            partner (Callable): ``partner(rainy_stem, rainy_path)`` returns
                ``(clean_stem, extra_info)``, or None to leave a file out
                (e.g. a clean image sharing the rainy folder); it raises for
                a badly named rainy image.

        Returns:
            list[tuple]: ``(key, rainy_path, clean_path, extra_info)``.
        """
        owner = type(self).__name__
        rainy_dir, clean_dir = self.data_prefix['img'], self.data_prefix['gt']
        names = list_images(rainy_dir, owner, 'rainy images')
        if clean_dir != rainy_dir:
            list_images(clean_dir, owner, 'clean images')
        pairs = []
        for name in names:
            stem, ext = osp.splitext(name)
            rainy_path = osp.join(rainy_dir, name)
            target = partner(stem, rainy_path)
            if target is None:
                continue
            clean_stem, extra = target
            clean_path = find_partner(clean_dir, clean_stem, ext)
            if clean_path is None:
                raise self.missing_partner(
                    rainy_path, osp.join(clean_dir, clean_stem + ext))
            pairs.append((stem, rainy_path, clean_path, extra))
        return pairs

    def missing_partner(self,
                        rainy_path: str,
                        expected: str,
                        any_extension: bool = True) -> Exception:
        """The error for a rainy image whose clean image is missing."""
        note = ' (any image extension)' if any_extension else ''
        return FileNotFoundError(
            f'{type(self).__name__}: the rainy image "{rainy_path}" has no '
            f'clean partner: expected "{expected}"{note}.')
