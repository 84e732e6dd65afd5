from .transforms import *  # noqa: F401,F403
from .base_rain_dataset import BaseRainDataset
from .check_dataset import (check_built_dataset, check_config, check_folder,
                            detect_dataset_type, run_check)
from .checks import (PairCheck, PairProblem, decode_problem, header_size,
                     inspect_images, inspect_pairs, quick_check)
from .embedded_images import EMBEDDED_SPLITS, embedded_images
from .converters import export_rain100_layout, render_rain_split
from .input_target_dataset import InputTargetDataset
from .rain100_dataset import Rain100Dataset
from .rain800_dataset import Rain800Dataset
from .rain1200_dataset import Rain1200Dataset
from .rain14000_dataset import Rain14000Dataset
from .rendered_rain_dataset import RenderedRainDataset, SyntheticRainDataset
from .side_by_side_dataset import SideBySideRainDataset
from .spa_dataset import SPADataset
from .ttl_image_dataset import TTLImageDataset
from .ttl_subset_dataset import RandomSubsetDataset

__all__ = [
    'BaseRainDataset', 'check_built_dataset', 'check_config', 'check_folder',
    'detect_dataset_type', 'run_check', 'PairCheck', 'PairProblem',
    'decode_problem', 'header_size', 'inspect_images', 'inspect_pairs',
    'quick_check', 'EMBEDDED_SPLITS', 'embedded_images',
    'export_rain100_layout', 'render_rain_split', 'InputTargetDataset',
    'Rain100Dataset', 'Rain800Dataset', 'Rain1200Dataset', 'Rain14000Dataset',
    'RenderedRainDataset', 'SideBySideRainDataset', 'SPADataset',
    'RandomSubsetDataset', 'SyntheticRainDataset', 'TTLImageDataset'
]
