"""Unpaired photos from a folder, for TTL's transfer tasks."""
import os.path as osp
from typing import Callable, List, Optional, Sequence, Union

from mmengine.dataset import BaseDataset

from mmagic.registry import DATASETS
from .base_rain_dataset import list_images


@DATASETS.register_module()
class TTLImageDataset(BaseDataset):
    """Photos of one kind from a folder, with an optional recognition label.

    "Removing Rain Streaks via Task Transfer Learning" learns from real data
    with free labels: RealRain (real rainy photos, no clean partner) for the
    recognition task (label 0) and for distillation, and RealClear
    (rain-free photos, label 1) for recognition and, blurred on the fly,
    for reconstruction. Each data info holds ``<key>_path`` (load it with
    ``LoadImageFromFile(key=<key>)``), ``key`` (the file stem) and, when
    ``label`` is set, ``gt_label`` (packed by ``PackInputs`` into
    ``data_sample.gt_label``).

    Args:
        data_root (str): Folder of the photos (not searched recursively).
        label (int, optional): Recognition label of every photo; the paper
            uses 0 for rainy and 1 for rain-free. Default: None.
        key (str): Results key the photo is loaded under: 'img' for inputs
            (recognition, distillation), 'gt' for clear photos that a
            transform degrades (reconstruction). Default: 'img'.
        pipeline (Sequence[dict | Callable]): Processing pipeline.
        test_mode (bool): Whether the dataset is used for testing.
        **kwargs: Other arguments of :class:`mmengine.dataset.BaseDataset`.
    """

    METAINFO = dict(dataset_type='ttl_image_dataset', task_name='deraining')

    def __init__(self,
                 data_root: str,
                 label: Optional[int] = None,
                 key: str = 'img',
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 test_mode: bool = False,
                 **kwargs) -> None:
        if not data_root:
            raise ValueError('TTLImageDataset: data_root is empty; give the '
                             'folder that holds the photos.')
        self.label = label
        self.key = key
        super().__init__(
            data_root=data_root,
            pipeline=list(pipeline),
            test_mode=test_mode,
            **kwargs)

    def load_data_list(self) -> List[dict]:
        """One data info per image file in ``data_root``."""
        data_list = []
        for name in list_images(self.data_root, 'TTLImageDataset', 'photos'):
            info = {
                'key': osp.splitext(name)[0],
                f'{self.key}_path': osp.join(self.data_root, name)
            }
            if self.label is not None:
                info['gt_label'] = self.label
            data_list.append(info)
        return data_list
