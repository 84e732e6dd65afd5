import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

from mmagic.registry import DATASETS
from .base_rain_dataset import (BaseRainDataset, check_id_range,
                                template_regex)


@DATASETS.register_module()
class Rain100Dataset(BaseRainDataset):
    """Rain100H / Rain100L and their training sets RainTrainH / RainTrainL.

    Yang et al., "Deep Joint Rain Detection and Removal from a Single Image"
    (CVPR 2017). Pairs are named ``rain-<id>.png`` (rainy) and
    ``norain-<id>.png`` (clean). The releases come in these forms, all
    read by this class:

    .. code-block:: none

        RainTrainH/                 Rain100H/ (PReNet's test release)
        ├── rain-1.png              ├── rainy/
        ├── norain-1.png            │   ├── rain-001.png
        ├── ...                     │   └── ...
        (flat: both in one folder)  ├── norain-001.png
                                    └── ...

        rain/ + norain/ sub-folders (rain/rain-001.png, norain/norain-001.png)

    Without ``data_prefix`` the form is detected: a ``rainy/`` sub-folder
    means rainy images there and clean ones in ``data_root``; ``rain/`` and
    ``norain/`` sub-folders mean those; otherwise both sit in ``data_root``.
    Other namings go through ``data_prefix`` and ``filename_tmpl``; e.g. the
    updated JORDER release (``rain/X2/norain-001x2.png`` with
    ``norain/norain-001.png``) is
    ``data_prefix=dict(img='rain/X2', gt='norain')`` and
    ``filename_tmpl=dict(img='norain-{}x2', gt='norain-{}')``.

    Every rainy image must have its clean partner (else an error names it);
    a clean image without a rainy one is allowed, since PReNet's RainTrainH
    drops 546 rainy images whose scenes overlap the test set but keeps all
    clean ones. Other files in the folder (``rainstreak-*``,
    ``rainregion-*`` of RainTrainL) are ignored because they do not match
    the rainy template.

    Args:
        data_root (str): Root folder of one split.
        data_prefix (dict, optional): Sub-folders ``img`` (rainy) and ``gt``
            (clean). Defaults to None (detected, see above).
        filename_tmpl (dict, optional): File stem templates with one ``{}``
            for the id. Defaults to
            ``dict(img='rain-{}', gt='norain-{}')``.
        id_range (Sequence[int], optional): Inclusive ``(first, last)``
            numeric ids to keep, e.g. ``(1, 158)`` and ``(159, 200)`` for
            the training and held-out splits of RainTrainL used by
            ``configs/_base_/datasets/raintrain.py``. Ids are compared as
            numbers, so ``rain-7`` and ``rain-007`` are both id 7; an id
            that is not a number is an error when a range is given.
            Defaults to None (all).
        **kwargs: See :class:`BaseRainDataset`.
    """

    METAINFO = dict(dataset_type='rain100', task_name='deraining')

    def __init__(self,
                 data_root: str = '',
                 data_prefix: Optional[Dict[str, str]] = None,
                 filename_tmpl: Optional[Dict[str, str]] = None,
                 id_range: Optional[Sequence[int]] = None,
                 **kwargs) -> None:
        tmpl = dict(img='rain-{}', gt='norain-{}')
        tmpl.update(filename_tmpl or {})
        for key in ('img', 'gt'):
            template_regex(tmpl[key])
        self.filename_tmpl = tmpl
        self.id_range = check_id_range(type(self).__name__, id_range)
        super().__init__(
            data_root=data_root, data_prefix=data_prefix, **kwargs)

    def default_prefix(self, data_root: str) -> Dict[str, str]:
        """Detect the layout (see the class docstring)."""
        if osp.isdir(osp.join(data_root, 'rainy')):
            return dict(img='rainy', gt='')
        if (osp.isdir(osp.join(data_root, 'rain'))
                and osp.isdir(osp.join(data_root, 'norain'))):
            return dict(img='rain', gt='norain')
        return dict(img='', gt='')

    def collect_pairs(self) -> List[Tuple[str, str, str, dict]]:
        """Match every ``rain-<id>`` image with its ``norain-<id>`` image."""
        pattern = template_regex(self.filename_tmpl['img'])

        def partner(stem: str, path: str) -> Optional[Tuple[str, dict]]:
            match = pattern.match(stem)
            if match is None:
                return None
            image_id = match.group(1)
            if self.id_range is not None:
                if not image_id.isdigit():
                    raise ValueError(
                        f'{type(self).__name__}: "{path}" has the id '
                        f'"{image_id}", which is not a number; id_range '
                        'needs numeric ids.')
                first, last = self.id_range
                if not first <= int(image_id) <= last:
                    return None
            return self.filename_tmpl['gt'].format(image_id), {}

        pairs = self.pair_folders(partner)
        if not pairs:
            raise ValueError(
                f'{type(self).__name__}: no rainy image named like '
                f'"{self.filename_tmpl["img"].format("*")}" in '
                f'"{self.data_prefix["img"]}"'
                + ('' if self.id_range is None else
                   f' with an id in id_range={self.id_range}') +
                '. Check data_root, data_prefix, filename_tmpl and id_range.')
        return pairs
