"""Experiment applications built on the layers below: the NR comparison
(train runs, tabulate their matrices), the penalty-weight grid and the TTL
stage pipeline."""
from .markdown import replace_marked_block
from .nr_compare import compare_runs
from .penalty_grid import run_penalty_grid
from .ttl_pipeline import (comparison_notes, format_comparison_table,
                           load_stage_chain, run_comparison, run_ttl_pipeline)

__all__ = [
    'compare_runs', 'comparison_notes', 'format_comparison_table',
    'load_stage_chain', 'replace_marked_block', 'run_comparison',
    'run_penalty_grid', 'run_ttl_pipeline'
]
