"""Figures for reading de-raining results: comparison grids, NIQE plots."""
from .compare_grid import (auto_box, compare_grid, parse_box, parse_method,
                           render_grid)

__all__ = [
    'auto_box', 'compare_grid', 'parse_box', 'parse_method', 'render_grid'
]
