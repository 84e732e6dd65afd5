"""Analysis applications: comparison figures of de-rained images and
no-reference (NIQE) statistics of folders."""
from .compare_grid import (auto_box, compare_grid, parse_box, parse_method,
                           render_grid)
from .niqe_stats import (folder_niqe, image_niqe, niqe_report, parse_folder,
                         plot_distributions, summarize)

__all__ = [
    'auto_box', 'compare_grid', 'parse_box', 'parse_method', 'render_grid',
    'folder_niqe', 'image_niqe', 'niqe_report', 'parse_folder',
    'plot_distributions', 'summarize'
]
