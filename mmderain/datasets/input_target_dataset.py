from typing import Dict, List, Tuple

from mmagic.registry import DATASETS
from .base_rain_dataset import BaseRainDataset


# Not mmagic's BasicImageDataset (this layout with data_prefix img='input',
# gt='target'): it takes the rainy file's extension for the clean file, never
# checks that file exists and lists in os.scandir order.
@DATASETS.register_module()
class InputTargetDataset(BaseRainDataset):
    """Plain ``input/`` (rainy) + ``target/`` (clean) folders.

    The layout of Rain13K and of the test sets repackaged by MPRNet and
    Restormer (Rain100H, Rain100L, Test100, Test1200, Test2800), and of many
    other copies:

    .. code-block:: none

        Rain13K/
        ├── input/
        │   ├── 1.jpg
        │   └── ...
        └── target/
            ├── 1.jpg
            └── ...

    A rainy image and its clean image share the file stem; the extension
    may differ. Every rainy image must have its clean partner, else an error
    names it.

    Args:
        data_root (str): Root folder.
        data_prefix (dict, optional): Sub-folders ``img`` (rainy) and ``gt``
            (clean). Defaults to ``dict(img='input', gt='target')``.
        **kwargs: See :class:`BaseRainDataset`.
    """

    METAINFO = dict(dataset_type='input_target', task_name='deraining')

    def default_prefix(self, data_root: str) -> Dict[str, str]:
        """The ``input`` / ``target`` folder names."""
        return dict(img='input', gt='target')

    def collect_pairs(self) -> List[Tuple[str, str, str, dict]]:
        """Match images of the same stem."""
        return self.pair_folders(lambda stem, path: (stem, {}))
