from .metrics import *  # noqa: F401,F403
from .nr_report import comparison_table, compare_runs
from .penalty_grid import run_penalty_grid
from .rainy_input import evaluate_rainy_inputs
from .sequence_matrix import SequenceMatrix

__all__ = [
    'SequenceMatrix', 'comparison_table', 'compare_runs',
    'evaluate_rainy_inputs', 'run_penalty_grid'
]
