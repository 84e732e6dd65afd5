from mmderain.utils.images import list_images, read_image
from .inference import DerainInferencer, derain_files, derain_image, init_model
from .runner_cfg import (build_test_cfg, build_train_cfg, dataset_folders,
                         default_work_dir, drop_missing_optional_sets,
                         enable_amp, missing_set_notes, optional_eval_sets,
                         setup_cpu_distributed)

__all__ = [
    'DerainInferencer', 'derain_files', 'list_images', 'read_image',
    'build_test_cfg', 'build_train_cfg', 'dataset_folders',
    'default_work_dir', 'derain_image', 'drop_missing_optional_sets',
    'enable_amp', 'init_model', 'missing_set_notes', 'optional_eval_sets',
    'setup_cpu_distributed'
]
