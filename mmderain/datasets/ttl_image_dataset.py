"""Unpaired photos, for TTL's transfer tasks."""
import os.path as osp
from typing import Callable, List, Optional, Sequence, Union

from mmengine.dataset import BaseDataset

from mmagic.registry import DATASETS
from .base_rain_dataset import list_images
from .embedded_images import EMBEDDED_SPLITS, load_embedded_image

#: ``data_root`` value that selects the photos shipped inside installed
#: packages (see :mod:`mmderain.datasets.embedded_images`).
EMBEDDED = 'embedded'


@DATASETS.register_module()
class TTLImageDataset(BaseDataset):
    """Photos of one kind, with an optional recognition label.

    "Removing Rain Streaks via Task Transfer Learning" learns from real data
    with free labels: RealRain (real rainy photos, no clean partner) for the
    recognition task (label 0) and for distillation, and RealClear
    (rain-free photos, label 1) for recognition and, blurred on the fly,
    for reconstruction. Each data info holds ``key`` (the file stem),
    ``gt_label`` when ``label`` is set (packed by ``PackInputs`` into
    ``data_sample.gt_label``), and:

    - for a folder, ``<key>_path``: load it with
      ``LoadImageFromFile(key=<key>, channel_order='rgb')``;
    - for ``data_root='embedded'`` (the embedded photos of ``split``, rain
      free), the photo itself, as that transform would give it (``<key>``,
      ``ori_<key>_shape``, ``<key>_channel_order='rgb'``,
      ``<key>_color_type='color'``, and a virtual ``<key>_path``): the
      pipeline starts after loading. Batches can then mix folder photos and
      embedded ones, since both yield the same keys.

    Large photos are not resized: a ``Crop`` in the pipeline takes a patch
    at native resolution, so rain streaks keep their real width.

    Args:
        data_root (str): Folder of the photos (not searched recursively), or
            ``'embedded'``.
        label (int, optional): Recognition label of every photo; the paper
            uses 0 for rainy and 1 for rain-free. Default: None.
        key (str): Results key the photo is loaded under: 'img' for inputs
            (recognition, distillation), 'gt' for clear photos that a
            transform degrades (reconstruction). Default: 'img'.
        split (str): Which embedded photos, ``'train'`` or ``'test'``; only
            used with ``data_root='embedded'``. Default: 'train'.
        num_samples (int, optional): Length of the dataset; samples cycle
            over the photos (with random crops in the pipeline, every fetch
            is a new patch). Lets a small folder be sampled as often as a
            larger set it is concatenated with. Default: None (one sample
            per photo).
        pipeline (Sequence[dict | Callable]): Processing pipeline.
        test_mode (bool): Whether the dataset is used for testing.
        **kwargs: Other arguments of :class:`mmengine.dataset.BaseDataset`.
    """

    METAINFO = dict(dataset_type='ttl_image_dataset', task_name='deraining')

    def __init__(self,
                 data_root: str,
                 label: Optional[int] = None,
                 key: str = 'img',
                 split: str = 'train',
                 num_samples: Optional[int] = None,
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 test_mode: bool = False,
                 **kwargs) -> None:
        if not data_root:
            raise ValueError('TTLImageDataset: data_root is empty; give the '
                             'folder that holds the photos.')
        if data_root == EMBEDDED and split not in EMBEDDED_SPLITS:
            raise ValueError(f'TTLImageDataset: split must be one of '
                             f'{sorted(EMBEDDED_SPLITS)}, got {split!r}.')
        if num_samples is not None and int(num_samples) < 1:
            raise ValueError('TTLImageDataset: num_samples must be >= 1, '
                             f'got {num_samples}.')
        self.label = label
        self.key = key
        self.split = split
        self.num_samples = num_samples
        super().__init__(
            data_root=data_root,
            pipeline=list(pipeline),
            test_mode=test_mode,
            **kwargs)

    def load_data_list(self) -> List[dict]:
        """One data info per photo (cycled to ``num_samples``)."""
        if self.data_root == EMBEDDED:
            photos = [(name, None) for name in EMBEDDED_SPLITS[self.split]]
        else:
            photos = [(osp.splitext(name)[0], osp.join(self.data_root, name))
                      for name in list_images(self.data_root,
                                              'TTLImageDataset', 'photos')]
        data_list = []
        for index in range(self.num_samples or len(photos)):
            stem, path = photos[index % len(photos)]
            info = {'key': stem}
            if path is not None:
                info[f'{self.key}_path'] = path
            if self.label is not None:
                info['gt_label'] = self.label
            data_list.append(info)
        return data_list

    def get_data_info(self, idx: int) -> dict:
        """The data info of ``idx``; embedded photos come loaded."""
        info = super().get_data_info(idx)
        if self.data_root == EMBEDDED:
            key = self.key
            # A copy: the cached photo is shared and read-only, and
            # transforms such as Flip work in place.
            photo = load_embedded_image(info['key']).copy()
            info.update({
                key: photo,
                f'{key}_path': f'{EMBEDDED}/{self.split}/{info["key"]}.png',
                f'ori_{key}_shape': photo.shape,
                f'{key}_channel_order': 'rgb',
                f'{key}_color_type': 'color',
            })
        return info
