import os.path as osp
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

from mmagic.registry import DATASETS
from .base_rain_dataset import BaseRainDataset, list_images


@DATASETS.register_module()
class Rain800Dataset(BaseRainDataset):
    """Rain800 (ID-CGAN): each file holds a clean and a rainy image side by
    side.

    Zhang et al., "Image De-raining Using a Conditional Generative
    Adversarial Network" (TCSVT 2019). The release has ``training/`` (700
    pairs), ``test_syn/`` (100 pairs) and ``test_nature/`` (real rain, no
    clean half) folders of ``.jpg`` files.

    Which half is which: in the release the **left half is clean and the
    right half is rainy**. Sources: the ID-CGAN code (github
    hezhangsprinter/ID-CGAN) loads each file as ``A`` = left half and ``B``
    = right half (pix2pix convention, ``data/donkey_folder.lua``) and its
    README trains and tests with ``which_direction=BtoA``, i.e. input
    (rainy) = right half and target (clean) = left half. RESCAN (github
    XiaLiPKU/RESCAN, ``config/dataset.py``), which points to the same
    download, takes the rainy ``O`` from the right half and the background
    ``B`` from the left half. Hence ``rainy_half='right'`` by default;
    pass ``'left'`` for re-packed copies with the other order.

    Each data info points ``img_path`` and ``gt_path`` at the same pair file
    and carries ``rainy_half``; the pipeline must load it once
    (``LoadImageFromFile`` with ``key='img'``) and then split it with
    :class:`~mmderain.datasets.transforms.SplitSideBySide`, which reads
    ``rainy_half`` from the data info. A pipeline without that transform is
    rejected, since it would silently train on the whole pair.

    Args:
        data_root (str): Folder of one split (e.g. ``Rain800/training``).
        data_prefix (dict, optional): Sub-folder ``img`` holding the pairs.
            Defaults to ``dict(img='')``.
        rainy_half (str): ``'right'`` (the release) or ``'left'``.
        pipeline (list[dict | Callable]): Must contain ``SplitSideBySide``.
        **kwargs: See :class:`BaseRainDataset`.
    """

    METAINFO = dict(dataset_type='rain800', task_name='deraining')

    def __init__(self,
                 data_root: str = '',
                 data_prefix: Optional[Dict[str, str]] = None,
                 rainy_half: str = 'right',
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 **kwargs) -> None:
        if rainy_half not in ('left', 'right'):
            raise ValueError("Rain800Dataset: rainy_half must be 'left' or "
                             f"'right', got {rainy_half!r}.")
        if pipeline and not any(
            (isinstance(t, dict) and t.get('type') == 'SplitSideBySide')
                or type(t).__name__ == 'SplitSideBySide' for t in pipeline):
            raise ValueError(
                'Rain800Dataset: the pipeline has no SplitSideBySide '
                'transform; each Rain800 file holds a clean and a rainy '
                'image side by side and must be split after loading.')
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
        folder = self.data_prefix['img']
        names = list_images(folder, type(self).__name__, 'side-by-side pairs')
        pairs = []
        for name in names:
            path = osp.join(folder, name)
            pairs.append((osp.splitext(name)[0], path, path,
                          dict(rainy_half=self.rainy_half)))
        return pairs
