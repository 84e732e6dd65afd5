from typing import Callable, Dict, Optional, Sequence, Union

from mmagic.registry import DATASETS
from .side_by_side_dataset import SideBySideRainDataset


@DATASETS.register_module()
class Rain800Dataset(SideBySideRainDataset):
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

    The pipeline must split the pairs with
    :class:`~mmderain.datasets.transforms.SplitSideBySide`; see
    :class:`SideBySideRainDataset`.

    Args:
        data_root (str): Folder of one split (e.g. ``Rain800/training``).
        data_prefix (dict, optional): Sub-folder ``img`` holding the pairs.
            Defaults to ``dict(img='')``.
        rainy_half (str): ``'right'`` (the release) or ``'left'``.
        pipeline (list[dict | Callable]): Must contain ``SplitSideBySide``.
        **kwargs: See :class:`~mmderain.datasets.BaseRainDataset`.
    """

    METAINFO = dict(dataset_type='rain800', task_name='deraining')

    def __init__(self,
                 data_root: str = '',
                 data_prefix: Optional[Dict[str, str]] = None,
                 rainy_half: str = 'right',
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 **kwargs) -> None:
        super().__init__(
            data_root=data_root,
            data_prefix=data_prefix,
            rainy_half=rainy_half,
            pipeline=pipeline,
            **kwargs)
