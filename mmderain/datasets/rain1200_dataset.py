import os.path as osp
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

from mmagic.registry import DATASETS
from .side_by_side_dataset import SideBySideRainDataset

# DID-MDN's training folders, in the order of its density labels
# (``datasets/pix2pix_class.py``: 0 heavy, 1 medium, 2 light).
DENSITIES = ('Rain_Heavy', 'Rain_Medium', 'Rain_Light')
_TRAIN_SUBFOLDER = 'train2018new'


@DATASETS.register_module()
class Rain1200Dataset(SideBySideRainDataset):
    """Rain1200 / DID-MDN: rainy and clean images side by side.

    Zhang and Patel, "Density-aware Single Image De-raining using a
    Multi-stream Dense Network" (CVPR 2018). 12,000 training pairs in three
    rain densities (4,000 each) and 1,200 test pairs ("Rain1200"):

    .. code-block:: none

        DID-MDN-training/                      DID-MDN-datasets/
        ├── Rain_Heavy/train2018new/           └── DID-MDN-test/
        │   ├── 0.jpg ... 3999.jpg                 ├── 0.jpg
        ├── Rain_Medium/train2018new/              └── ... 1199.jpg
        └── Rain_Light/train2018new/

    Which half is which: in the release the **left half is rainy and the
    right half is clean**, the opposite of Rain800. Source: the DID-MDN code
    (github hezhangsprinter/DID-MDN) crops ``imgA`` = left half and
    ``imgB`` = right half (``datasets/pix2pix_class.py`` for training,
    ``datasets/pix2pix_val.py`` for testing), and ``derain_train_2018.py``
    unpacks each batch as ``input_cpu, target_cpu, label_cpu``, i.e. the
    network's input (rainy) is the left half and its target (clean) the
    right half; ``test.py`` feeds the left half to the network likewise.
    Hence ``rainy_half='left'`` by default.

    ``data_root`` is either the training folder (detected by its
    ``Rain_*/train2018new`` sub-folders; ``densities`` picks which) or a
    folder of pairs such as ``DID-MDN-test``. Training keys carry the
    density (``Rain_Heavy_12``), since every density numbers its files from
    0, and data infos carry ``rain_density`` (the folder name).

    Args:
        data_root (str): ``DID-MDN-training`` or ``DID-MDN-test``.
        data_prefix (dict, optional): Sub-folder ``img`` under
            ``data_root``. Defaults to ``dict(img='')``.
        rainy_half (str): ``'left'`` (the release) or ``'right'``.
        densities (Sequence[str]): Density folders read in the training
            layout. Defaults to all three.
        pipeline (list[dict | Callable]): Must contain ``SplitSideBySide``.
        **kwargs: See :class:`~mmderain.datasets.BaseRainDataset`.
    """

    METAINFO = dict(dataset_type='rain1200', task_name='deraining')

    def __init__(self,
                 data_root: str = '',
                 data_prefix: Optional[Dict[str, str]] = None,
                 rainy_half: str = 'left',
                 densities: Sequence[str] = DENSITIES,
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 **kwargs) -> None:
        unknown = [d for d in densities if d not in DENSITIES]
        if unknown or not densities:
            raise ValueError(f'Rain1200Dataset: densities must be a '
                             f'non-empty subset of {DENSITIES}, got '
                             f'{list(densities)!r}.')
        self.densities = tuple(densities)
        super().__init__(
            data_root=data_root,
            data_prefix=data_prefix,
            rainy_half=rainy_half,
            pipeline=pipeline,
            **kwargs)

    def collect_pairs(self) -> List[Tuple[str, str, str, dict]]:
        """The pairs of the chosen densities (training layout) or of the
        folder itself."""
        folder = self.data_prefix['img']
        if not any(
                osp.isdir(osp.join(folder, density, _TRAIN_SUBFOLDER))
                for density in DENSITIES):
            return self.folder_pairs(folder)
        pairs = []
        for density in self.densities:
            # A missing density folder raises in list_images, naming it.
            pairs += self.folder_pairs(
                osp.join(folder, density, _TRAIN_SUBFOLDER),
                key_prefix=f'{density}_',
                rain_density=density)
        return pairs
