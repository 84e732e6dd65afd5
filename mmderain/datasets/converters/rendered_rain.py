"""Write rendered rain to disk in the Rain100 layout."""
import os
import os.path as osp
from typing import Optional, Sequence, Union

import cv2

from ..rendered_rain_dataset import RenderedRainDataset


def export_rain100_layout(dataset: RenderedRainDataset,
                          out_dir: str,
                          overwrite: bool = False) -> int:
    """Write every sample of a rendered dataset as Rain100-style files.

    ``<out_dir>/rainy/rain-001.png`` and ``<out_dir>/norain-001.png``, ...:
    the form :class:`~mmderain.datasets.Rain100Dataset` reads. Each sample
    is rendered deterministically
    (:meth:`RenderedRainDataset.render_pair`), so the files equal what the
    same dataset yields in test mode.

    Args:
        dataset (RenderedRainDataset): What to write.
        out_dir (str): Target folder; created if missing.
        overwrite (bool): Allow writing into a folder that already holds
            files. Defaults to False.

    Returns:
        int: Number of pairs written.
    """
    rainy_dir = osp.join(out_dir, 'rainy')
    if (not overwrite and osp.isdir(out_dir)
            and any(not n.startswith('.') for n in os.listdir(out_dir))):
        raise FileExistsError(f'"{out_dir}" is not empty; choose another '
                              'folder or allow overwriting.')
    os.makedirs(rainy_dir, exist_ok=True)
    for index in range(len(dataset)):
        rainy, clean, _ = dataset.render_pair(index)
        number = f'{index + 1:03d}'
        for path, image in ((osp.join(rainy_dir, f'rain-{number}.png'), rainy),
                            (osp.join(out_dir,
                                      f'norain-{number}.png'), clean)):
            if not cv2.imwrite(path, cv2.cvtColor(image, cv2.COLOR_RGB2BGR)):
                raise OSError(f'Could not write "{path}".')
    return len(dataset)


def render_rain_split(out_root: str,
                      preset: Union[str, dict],
                      split: str,
                      num_samples: Optional[int] = None,
                      img_size: Union[int, Sequence[int], None] = 128,
                      seed: int = 0,
                      clean_source: str = 'embedded',
                      overwrite: bool = False) -> str:
    """Render one split of one preset to ``<out_root>/<preset>/<split>``.

    Args:
        out_root (str): Root of the written datasets.
        preset (str | dict): Rain preset; a dict is written under
            ``custom``.
        split (str): ``'train'`` or ``'test'`` (embedded photo split).
        num_samples (int, optional): Number of pairs; see
            :class:`RenderedRainDataset`. Defaults to None.
        img_size (int | Sequence[int], optional): Crop size. Defaults to 128.
        seed (int): Rendering seed. Defaults to 0.
        clean_source (str): ``'embedded'`` or a folder of clean images.
            Defaults to ``'embedded'``.
        overwrite (bool): Allow a non-empty target folder. Defaults to
            False.

    Returns:
        str: The folder written.
    """
    dataset = RenderedRainDataset(
        preset=preset,
        clean_source=clean_source,
        split=split,
        num_samples=num_samples,
        img_size=img_size,
        seed=seed,
        test_mode=True)
    out_dir = osp.join(out_root, dataset.preset_name, split)
    export_rain100_layout(dataset, out_dir, overwrite=overwrite)
    return out_dir
