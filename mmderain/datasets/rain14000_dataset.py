import re
from typing import Dict, List, Optional, Sequence, Tuple

from mmagic.registry import DATASETS
from .base_rain_dataset import BaseRainDataset, check_id_range

_RAINY_NAME = re.compile(r'^(\d+)_(\d+)$')


@DATASETS.register_module()
class Rain14000Dataset(BaseRainDataset):
    """Rain14000 (DDN) and its splits Rain12600 / Rain1400.

    Fu et al., "Removing Rain from Single Images via a Deep Detail Network"
    (CVPR 2017): 1000 clean images, each rendered with 14 rain types.

    .. code-block:: none

        Rain14000/
        ├── ground_truth/
        │   ├── 1.jpg
        │   └── ...
        └── rainy_image/
            ├── 1_1.jpg ... 1_14.jpg
            └── ...

    The paper's split is by clean image: ids 1-900 (12600 rainy images,
    "Rain12600") train, ids 901-1000 (1400 rainy images, "Rain1400") test;
    ``id_range`` selects it, so one folder with all 1000 ids, or the
    separately distributed Rain12600 / Rain1400 folders (PReNet's release
    keeps the original ids), both work. Every rainy image must be named
    ``<clean id>_<type>`` and have its clean partner, else an error names
    the file.

    Args:
        data_root (str): Root folder.
        data_prefix (dict, optional): Sub-folders ``img`` (rainy) and ``gt``
            (clean). Defaults to ``dict(img='rainy_image',
            gt='ground_truth')``.
        id_range (Sequence[int], optional): Inclusive ``(first, last)``
            clean ids to keep, e.g. ``(1, 900)`` for Rain12600 and
            ``(901, 1000)`` for Rain1400. Defaults to None (all).
        **kwargs: See :class:`BaseRainDataset`.
    """

    METAINFO = dict(dataset_type='rain14000', task_name='deraining')

    def __init__(self,
                 data_root: str = '',
                 data_prefix: Optional[Dict[str, str]] = None,
                 id_range: Optional[Sequence[int]] = None,
                 **kwargs) -> None:
        self.id_range = check_id_range(type(self).__name__, id_range)
        super().__init__(
            data_root=data_root, data_prefix=data_prefix, **kwargs)

    def default_prefix(self, data_root: str) -> Dict[str, str]:
        """The DDN release's folder names."""
        return dict(img='rainy_image', gt='ground_truth')

    def collect_pairs(self) -> List[Tuple[str, str, str, dict]]:
        """Match ``<id>_<type>`` rainy images with ``<id>`` clean images."""

        def partner(stem: str, path: str) -> Optional[Tuple[str, dict]]:
            match = _RAINY_NAME.match(stem)
            if match is None:
                raise ValueError(f'{type(self).__name__}: the rainy image '
                                 f'"{path}" is not named <clean id>_<rain '
                                 'type> (e.g. 12_3.jpg).')
            clean_id, rain_type = int(match.group(1)), int(match.group(2))
            if self.id_range is not None and not (self.id_range[0] <= clean_id
                                                  <= self.id_range[1]):
                return None
            return match.group(1), dict(clean_id=clean_id, rain_type=rain_type)

        pairs = self.pair_folders(partner)
        if not pairs:
            raise ValueError(f'{type(self).__name__}: no rainy image in '
                             f'"{self.data_prefix["img"]}" has a clean id in '
                             f'id_range={self.id_range}.')
        return pairs
