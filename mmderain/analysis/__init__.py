"""Analysis applications: comparison figures of de-rained images, the
split of a model's error into rain and rest, and no-reference (NIQE)
statistics of folders."""
from .compare_grid import (auto_box, compare_grid, parse_box, parse_method,
                           render_grid)
from .error_split import (error_split_report, mean_change_rows, mean_row,
                          split_by_change, split_error)
from .niqe_stats import (folder_niqe, image_niqe, niqe_report, parse_folder,
                         plot_distributions, summarize)

__all__ = [
    'auto_box', 'compare_grid', 'parse_box', 'parse_method', 'render_grid',
    'error_split_report', 'mean_change_rows', 'mean_row', 'split_by_change',
    'split_error',
    'folder_niqe', 'image_niqe', 'niqe_report', 'parse_folder',
    'plot_distributions', 'summarize'
]
