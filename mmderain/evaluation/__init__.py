from .nr_tables import comparison_table, run_slug, write_report
from .rainy_input import evaluate_rainy_inputs
from .sequence_matrix import SequenceMatrix

__all__ = [
    'SequenceMatrix', 'comparison_table', 'evaluate_rainy_inputs',
    'run_slug', 'write_report'
]
