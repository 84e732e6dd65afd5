from .inference import derain_image, init_model
from .runner_cfg import (build_test_cfg, build_train_cfg, default_work_dir,
                         enable_amp, setup_cpu_distributed)
from .ttl_pipeline import (format_comparison_table, load_stage_chain,
                           run_comparison, run_ttl_pipeline)

__all__ = [
    'build_test_cfg', 'build_train_cfg', 'default_work_dir', 'derain_image',
    'enable_amp', 'init_model', 'setup_cpu_distributed', 'load_stage_chain',
    'run_ttl_pipeline', 'run_comparison', 'format_comparison_table'
]
