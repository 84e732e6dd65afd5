import os.path as osp
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import cv2
import numpy as np
from mmengine.dataset import BaseDataset

from mmagic.registry import DATASETS
from .base_rain_dataset import list_images
from .embedded_images import EMBEDDED_SPLITS, embedded_images
from .transforms.rain_renderer import (num_rain_types, render_rain,
                                       resolve_preset)
from .transforms.random_state import deterministic_rng, fresh_rng


@DATASETS.register_module()
class RenderedRainDataset(BaseDataset):
    """Rainy/clean pairs with our renderer's rain, drawn on the fly; no
    download needed.

    Each sample takes a clean photo (cycling over the available ones),
    cuts a random resized crop of ``img_size`` from it (the scale ranges
    from "the crop spans the photo's short side" to native resolution), and
    renders rain on it with
    :func:`~mmderain.datasets.transforms.rain_renderer.render_rain`.

    Randomness:

    - ``test_mode=True``: sample ``i`` is a function of ``(seed, i)`` only,
      identical in every run, worker and epoch. For presets with rain types
      (rain14000) sample ``i`` shows type ``(i // num_clean) % num_types``,
      so ``num_samples = num_clean * num_types`` covers every pair.
    - ``test_mode=False``: every fetch draws new crop and rain, keyed on
      the training loop's stream (restarted with every task, so a resumed
      run repeats it), the dataloader worker's torch seed, ``seed``, the
      sample index and how often it was drawn; see
      :mod:`mmderain.datasets.transforms.random_state`.

    Each item has what ``LoadImageFromFile`` would give (``img`` = rainy,
    ``gt`` = clean, RGB uint8, ``ori_img_shape``, ``img_channel_order``,
    ...) plus virtual ``img_path`` / ``gt_path`` names in the Rain100 layout
    (``<preset>/<split>/rainy/rain-001.png``), so mmagic's ``PackInputs``,
    metrics and visualizers work unchanged.

    Args:
        preset (str | dict): Rain preset name (``'rain100l'``,
            ``'rain100h'``, ``'rain14000'``, ``'rain800'``, ``'heldout'``)
            or a preset dict. Defaults to ``'rain100l'``.
        clean_source (str | dict): ``'embedded'`` (photos shipped in
            installed packages, see
            :mod:`mmderain.datasets.embedded_images`), a folder of clean
            images, or the config of a paired dataset whose clean images
            (``gt_path``) are used, e.g. the training split of RainTrainL:
            the "rendered twin" of a paired set renders rain over exactly
            the clean images that set pairs with its own rain. Defaults to
            ``'embedded'``.
        split (str): ``'train'`` or ``'test'``: which embedded photos to use
            (ignored for a folder, which is used whole). Defaults to
            ``'train'``.
        num_samples (int, optional): Length of the dataset; samples cycle
            over the clean images. Defaults to None (one per clean image and
            rain type).
        img_size (int | Sequence[int], optional): ``size`` or ``(h, w)`` of
            the crops. None keeps whole clean images (then batches need
            equal image sizes). Defaults to 128.
        random_scale (bool): Rescale each photo by a random factor before
            cropping (from "the crop spans the short side" to native
            resolution), so few photos give many looks. False crops at
            native resolution, as ``PairedRandomCrop`` does on a paired set;
            the photo must then be at least ``img_size``. Defaults to True.
        rain_free_prob (float): Probability that a sample shows no rain at
            all (input = ground truth). Real rain is sparse: most pixels of
            a rainy photo are untouched background, and a model that has
            only seen rain everywhere shifts their tone; rain-free samples
            teach it to leave clean content as it is. Defaults to 0 (every
            sample rainy).
        seed (int): Seed of the test-mode rain (and of main-process training
            rain). Defaults to 0.
        cache_clean (bool): Keep decoded clean images of a folder in memory.
            Defaults to True.
        pipeline (list[dict | Callable]): Processing pipeline (typically
            flips and ``PackInputs``). Defaults to ().
        test_mode (bool): Deterministic per index when True. Defaults to
            False.
        metainfo (dict, optional): Meta information. Defaults to None.
        **kwargs: Other arguments of :class:`mmengine.dataset.BaseDataset`.
    """

    METAINFO = dict(dataset_type='rendered_rain', task_name='deraining')

    def __init__(self,
                 preset: Union[str, dict] = 'rain100l',
                 clean_source: Union[str, dict] = 'embedded',
                 split: str = 'train',
                 num_samples: Optional[int] = None,
                 img_size: Union[int, Sequence[int], None] = 128,
                 random_scale: bool = True,
                 rain_free_prob: float = 0.0,
                 seed: int = 0,
                 cache_clean: bool = True,
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 test_mode: bool = False,
                 metainfo: Optional[dict] = None,
                 **kwargs) -> None:
        self.preset = resolve_preset(preset)
        self.preset_name = preset if isinstance(preset, str) else 'custom'
        self.num_types = num_rain_types(self.preset)
        if split not in EMBEDDED_SPLITS:
            raise ValueError(f'RenderedRainDataset: split must be one of '
                             f'{sorted(EMBEDDED_SPLITS)}, got {split!r}.')
        self.split = split
        self.clean_source = (
            dict(clean_source)
            if isinstance(clean_source, dict) else clean_source)
        if num_samples is not None and int(num_samples) < 1:
            raise ValueError('RenderedRainDataset: num_samples must be >= 1, '
                             f'got {num_samples}.')
        self.num_samples = num_samples
        self.img_size = self._parse_size(img_size)
        self.random_scale = bool(random_scale)
        if not 0.0 <= float(rain_free_prob) <= 1.0:
            raise ValueError('RenderedRainDataset: rain_free_prob must be in '
                             f'[0, 1], got {rain_free_prob}.')
        self.rain_free_prob = float(rain_free_prob)
        self.seed = int(seed)
        self.cache_clean = cache_clean
        self._clean_cache: Dict[int, np.ndarray] = {}
        self._clean_names, self._clean_paths = self._find_clean_images()
        # The sample list is small; serializing it would only cost a full
        # garbage collection (mmengine calls gc.collect) per dataset.
        kwargs.setdefault('serialize_data', False)
        super().__init__(
            pipeline=list(pipeline),
            test_mode=test_mode,
            metainfo=metainfo,
            data_prefix=dict(),
            **kwargs)

    @staticmethod
    def _parse_size(size) -> Optional[Tuple[int, int]]:
        if size is None:
            return None
        if isinstance(size, int):
            size = (size, size)
        size = tuple(int(s) for s in size)
        if len(size) != 2 or min(size) < 1:
            raise ValueError('RenderedRainDataset: img_size must be a '
                             'positive int, an (h, w) pair or None, got '
                             f'{size!r}.')
        return size

    def _find_clean_images(self) -> Tuple[List[str], List[Optional[str]]]:
        if self.clean_source == 'embedded':
            names = list(EMBEDDED_SPLITS[self.split])
            return names, [None] * len(names)
        if isinstance(self.clean_source, dict):
            return self._clean_images_of_dataset(self.clean_source)
        folder = self.clean_source
        names = list_images(folder, type(self).__name__, 'clean images')
        return ([osp.splitext(n)[0]
                 for n in names], [osp.join(folder, n) for n in names])

    @staticmethod
    def _clean_images_of_dataset(
            cfg: dict) -> Tuple[List[str], List[Optional[str]]]:
        """Clean image names and paths of a paired dataset's data infos."""
        dataset = DATASETS.build(dict(cfg, pipeline=[], lazy_init=False))
        names, paths = [], []
        for index in range(len(dataset)):
            info = dataset.get_data_info(index)
            if info.get('gt_path') in (None, info.get('img_path')):
                raise ValueError(
                    'RenderedRainDataset: clean_source dataset '
                    f'{cfg.get("type")} gives no separate clean image for '
                    f'"{info.get("img_path")}" (side-by-side pairs cannot '
                    'serve as clean images).')
            names.append(osp.splitext(osp.basename(info['gt_path']))[0])
            paths.append(info['gt_path'])
        return names, paths

    def load_data_list(self) -> List[dict]:
        """Virtual samples: which clean image and rain type each one uses."""
        num_clean = len(self._clean_names)
        total = self.num_samples or num_clean * self.num_types
        prefix = f'{self.preset_name}/{self.split}'
        data_list = []
        for index in range(total):
            number = f'{index + 1:03d}'
            data_list.append(
                dict(
                    key=f'rain-{number}',
                    img_path=f'{prefix}/rainy/rain-{number}.png',
                    gt_path=f'{prefix}/norain-{number}.png',
                    clean_index=index % num_clean,
                    clean_name=self._clean_names[index % num_clean],
                    rain_type=(index // num_clean) % self.num_types))
        return data_list

    def clean_image(self, clean_index: int) -> np.ndarray:
        """A clean image as RGB uint8 (read-only when cached)."""
        if self.clean_source == 'embedded':
            return embedded_images(self.split)[clean_index][1]
        if clean_index in self._clean_cache:
            return self._clean_cache[clean_index]
        path = self._clean_paths[clean_index]
        image = cv2.imread(path, cv2.IMREAD_COLOR)
        if image is None:
            raise OSError(f'RenderedRainDataset: cannot read the clean image '
                          f'"{path}".')
        image = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        if self.cache_clean:
            image.flags.writeable = False
            self._clean_cache[clean_index] = image
        return image

    def _crop(self, image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Random (resized, see ``random_scale``) crop of ``img_size``."""
        if self.img_size is None:
            return image.copy()
        crop_h, crop_w = self.img_size
        height, width = image.shape[:2]
        if self.random_scale:
            smallest = max(crop_h / height, crop_w / width)
            largest = max(smallest, 1.0)
            scale = float(
                np.exp(rng.uniform(np.log(smallest), np.log(largest))))
            new_h = max(crop_h, int(round(height * scale)))
            new_w = max(crop_w, int(round(width * scale)))
            if (new_h, new_w) != (height, width):
                interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
                image = cv2.resize(
                    image, (new_w, new_h), interpolation=interp)
                height, width = new_h, new_w
        elif height < crop_h or width < crop_w:
            raise ValueError(
                f'RenderedRainDataset: a clean image of {height}x{width} '
                f'is smaller than img_size {crop_h}x{crop_w} '
                '(random_scale=False crops at native resolution).')
        top = int(rng.integers(height - crop_h + 1))
        left = int(rng.integers(width - crop_w + 1))
        return np.ascontiguousarray(image[top:top + crop_h,
                                          left:left + crop_w])

    def render_pair(self, index: int) -> Tuple[np.ndarray, np.ndarray, int]:
        """The deterministic rendering of sample ``index`` (what test mode
        returns for it, whatever ``test_mode`` is).

        Args:
            index (int): Sample index.

        Returns:
            tuple: ``(rainy, clean, rain_type)``, RGB uint8 images.
        """
        info = self.get_data_info(index)
        return self._render(info,
                            deterministic_rng(self.seed, info['sample_idx']),
                            info['rain_type'])

    def _render(
            self, info: dict, rng: np.random.Generator,
            rain_type: Optional[int]) -> Tuple[np.ndarray, np.ndarray, int]:
        clean = self._crop(self.clean_image(info['clean_index']), rng)
        if rain_type is None:
            rain_type = int(rng.integers(self.num_types))
        # No draw at 0, so a config without rain-free samples renders the
        # rain it always did.
        if self.rain_free_prob > 0 and rng.random() < self.rain_free_prob:
            return clean.copy(), clean, rain_type
        rainy = render_rain(clean, self.preset, rng,
                            rain_type if self.num_types > 1 else None)
        return rainy, clean, rain_type

    def prepare_data(self, idx: int) -> dict:
        """Render sample ``idx`` and run the pipeline on it."""
        info = self.get_data_info(idx)
        if self.test_mode:
            rng = deterministic_rng(self.seed, info['sample_idx'])
            rainy, clean, rain_type = self._render(info, rng,
                                                   info['rain_type'])
        else:
            rng = fresh_rng(self.seed, info['sample_idx'])
            rainy, clean, rain_type = self._render(info, rng, None)
        info.update(
            img=rainy,
            gt=clean,
            rain_type=rain_type,
            ori_img_shape=rainy.shape,
            ori_gt_shape=clean.shape,
            img_channel_order='rgb',
            gt_channel_order='rgb',
            img_color_type='color',
            gt_color_type='color')
        return self.pipeline(info)


@DATASETS.register_module()
class SyntheticRainDataset:
    """The former name of :class:`RenderedRainDataset`, kept registered (and
    importable) so that a config or script that still uses it fails with
    the new name instead of "not in the registry".

    Raises:
        TypeError: Always.
    """

    def __init__(self, *args, **kwargs) -> None:
        raise TypeError(
            "The dataset type 'SyntheticRainDataset' was renamed to "
            "'RenderedRainDataset' (our renderer's rain is \"rendered\"; "
            '"synthetic" names the public benchmarks): write '
            "type='RenderedRainDataset' in the config.")
