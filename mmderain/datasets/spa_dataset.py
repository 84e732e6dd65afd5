import os.path as osp
import re
from typing import List, Optional, Tuple

from mmagic.registry import DATASETS
from .base_rain_dataset import BaseRainDataset


@DATASETS.register_module()
class SPADataset(BaseRainDataset):
    """SPA-Data, real rain with derived clean images (list-file layout).

    Wang et al., "Spatial Attentive Single-Image Deraining with a High
    Quality Real Rain Dataset" (CVPR 2019). The released test set is
    ``real_test_1000.zip`` plus ``real_test_1000.txt``; each line of the
    list names a rainy image and its clean image, separated by white space,
    e.g. ``/real_test_1000/rain/000.png /real_test_1000/gt/000gt.png``
    (the official loader, github stevewongv/SPANet ``dataset.py``, prefixes
    the paths with ``.``, i.e. they are relative to the folder it runs in).
    The training list ``real_world.txt`` has the same form.

    A path in the list is resolved against ``data_root`` and the list's own
    folder; when it does not exist there, its leading folders are dropped
    one by one (so ``/testing/real_test_1000/rain/000.png`` also resolves
    with ``data_root`` pointing at ``testing/``). An existing absolute path
    is used as is. A line whose rainy or clean image cannot be found raises
    an error naming the line and the path.

    For copies re-packed into folders (``rain/000.png`` + ``gt/000gt.png``)
    use :class:`Rain100Dataset` with ``data_prefix=dict(img='rain',
    gt='gt')`` and ``filename_tmpl=dict(img='{}', gt='{}gt')``; for
    ``input/`` + ``target/`` copies use :class:`InputTargetDataset`.

    Args:
        data_root (str): Folder that holds the list file and the images.
        ann_file (str): The list file, relative to ``data_root``.
            Defaults to ``'real_test_1000.txt'``.
        **kwargs: See :class:`BaseRainDataset`.
    """

    METAINFO = dict(dataset_type='spa_data', task_name='deraining')

    def __init__(self,
                 data_root: str = '',
                 ann_file: str = 'real_test_1000.txt',
                 **kwargs) -> None:
        super().__init__(
            data_root=data_root,
            data_prefix=dict(),
            ann_file=ann_file,
            **kwargs)

    def _resolve(self, raw: str) -> Optional[str]:
        if osp.isabs(raw) and osp.isfile(raw):
            return raw
        parts = [p for p in re.split(r'[\\/]+', raw) if p not in ('', '.')]
        bases = [self.data_root or '.']
        list_dir = osp.dirname(self.ann_file) or '.'
        if osp.normpath(list_dir) != osp.normpath(bases[0]):
            bases.append(list_dir)
        for start in range(len(parts)):
            for base in bases:
                candidate = osp.join(base, *parts[start:])
                if osp.isfile(candidate):
                    return candidate
        return None

    def collect_pairs(self) -> List[Tuple[str, str, str, dict]]:
        """Read and resolve the list file."""
        owner = type(self).__name__
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(
                f'{owner}: the list file "{self.ann_file}" does not exist.')
        with open(self.ann_file, encoding='utf-8') as f:
            lines = f.read().splitlines()
        pairs = []
        for number, line in enumerate(lines, start=1):
            fields = line.split()
            if not fields:
                continue
            where = f'line {number} of "{self.ann_file}"'
            if len(fields) != 2:
                raise ValueError(f'{owner}: {where} should name a rainy and '
                                 f'a clean image, got {line!r}.')
            rainy_path = self._resolve(fields[0])
            if rainy_path is None:
                raise FileNotFoundError(
                    f'{owner}: the rainy image "{fields[0]}" ({where}) was '
                    f'not found under "{self.data_root}".')
            clean_path = self._resolve(fields[1])
            if clean_path is None:
                raise self.missing_partner(
                    rainy_path, f'{fields[1]} ({where})', any_extension=False)
            stem = osp.splitext(osp.basename(rainy_path))[0]
            pairs.append((stem, rainy_path, clean_path, {}))
        if not pairs:
            raise ValueError(f'{owner}: the list file "{self.ann_file}" '
                             'names no image pair.')
        return pairs
