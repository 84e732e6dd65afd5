import os.path as osp
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

from mmagic.registry import DATASETS
from .base_rain_dataset import BaseRainDataset, list_images
from .checks import header_size, odd_width

_HALVES = ('left', 'right')


@DATASETS.register_module()
class SideBySideRainDataset(BaseRainDataset):
    """Pairs stored as one image: a rainy and a clean half side by side.

    The form of Rain800 (ID-CGAN) and Rain1200 (DID-MDN), whose releases put
    the two halves in opposite orders; :class:`Rain800Dataset` and
    :class:`Rain1200Dataset` set each release's order and layout. This class
    reads any such folder once ``rainy_half`` is given.

    Each data info points ``img_path`` and ``gt_path`` at the same pair file
    and carries ``rainy_half``; the pipeline must load it once
    (``LoadImageFromFile`` with ``key='img'``) and then split it with
    :class:`~mmderain.datasets.transforms.SplitSideBySide`, which reads
    ``rainy_half`` from the data info. A pipeline without that transform is
    rejected, since it would silently train on the whole pair. With
    ``patch_grid`` the grid covers one half (half the file's width).

    The size rule of such pairs is their own: the file must have an even
    width (checked with ``check_pairs`` when the dataset is built, see
    :class:`BaseRainDataset`, and errors name the pair file).

    Args:
        data_root (str): Folder of one split.
        data_prefix (dict, optional): Sub-folder ``img`` holding the pairs.
            Defaults to ``dict(img='')``.
        rainy_half (str): ``'left'`` or ``'right'``: which half is rainy.
        pipeline (list[dict | Callable]): Must contain ``SplitSideBySide``.
        **kwargs: See :class:`BaseRainDataset`.
    """

    METAINFO = dict(dataset_type='side_by_side_rain', task_name='deraining')

    def __init__(self,
                 data_root: str = '',
                 data_prefix: Optional[Dict[str, str]] = None,
                 rainy_half: Optional[str] = None,
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 **kwargs) -> None:
        owner = type(self).__name__
        if rainy_half not in _HALVES:
            raise ValueError(f"{owner}: rainy_half must be 'left' or "
                             f"'right', got {rainy_half!r}.")
        if pipeline and not any(
            (isinstance(t, dict) and t.get('type') == 'SplitSideBySide')
                or type(t).__name__ == 'SplitSideBySide' for t in pipeline):
            raise ValueError(
                f'{owner}: the pipeline has no SplitSideBySide transform; '
                'each file holds a clean and a rainy image side by side and '
                'must be split after loading.')
        self.rainy_half = rainy_half
        super().__init__(
            data_root=data_root,
            data_prefix=data_prefix,
            pipeline=pipeline,
            **kwargs)

    def default_prefix(self, data_root: str) -> Dict[str, str]:
        """All pairs sit directly in ``data_root``."""
        return dict(img='')

    def collect_pairs(self) -> List[Tuple[str, str, str, dict]]:
        """Every image in the folder is one pair."""
        return self.folder_pairs(self.data_prefix['img'])

    def folder_pairs(self,
                     folder: str,
                     key_prefix: str = '',
                     **extra) -> List[Tuple[str, str, str, dict]]:
        """Every image of ``folder`` as one pair.

        Args:
            folder (str): Folder of pair files.
            key_prefix (str): Put before each file stem to make the key
                (keys must be unique when several folders reuse names).
            **extra: More data info entries for every pair.

        Returns:
            list[tuple]: ``(key, pair_path, pair_path, extra_info)``.
        """
        names = list_images(folder, type(self).__name__, 'side-by-side pairs')
        pairs = []
        for name in names:
            path = osp.join(folder, name)
            pairs.append((key_prefix + osp.splitext(name)[0], path, path,
                          dict(rainy_half=self.rainy_half, **extra)))
        return pairs

    def pair_size(self, info: dict) -> Tuple[int, int]:
        """``(height, width)`` of one half of the pair file.

        Raises:
            ValueError: The file has an odd width.
        """
        height, width = header_size(info['img_path'])
        if width % 2:
            raise ValueError(f'{type(self).__name__}: '
                             f'{odd_width(info["img_path"], width)}.')
        return height, width // 2
