"""Speed and memory benchmark suite.

``tools/analysis_tools/benchmark.py`` runs it; every sub-benchmark is a
function of a :class:`BenchContext` returning figures and targets.
"""
from .context import BenchContext
from .measure import (PeakMemory, interleave, median, reset_peak_rss,
                      run_in_subprocess)
from .report import (format_figures, format_targets, make_figure,
                     make_target, write_json)
from .suite import (OPTIONS, SUITES, check_options, default_devices,
                    parse_only, run_benchmarks, run_device)

__all__ = [
    'BenchContext', 'OPTIONS', 'PeakMemory', 'SUITES', 'check_options',
    'default_devices', 'format_figures', 'format_targets', 'interleave',
    'make_figure', 'make_target', 'median', 'parse_only', 'reset_peak_rss',
    'run_benchmarks', 'run_device', 'run_in_subprocess', 'write_json'
]
