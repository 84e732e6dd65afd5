"""nr_compare's demo runs: every config exists."""
import importlib.util
import os.path as osp

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
spec = importlib.util.spec_from_file_location(
    'nr_compare', osp.join(ROOT, 'tools', 'analysis_tools', 'nr_compare.py'))
nr_compare = importlib.util.module_from_spec(spec)
spec.loader.exec_module(nr_compare)


def test_every_demo_run_has_its_config():
    for config in {**nr_compare.DEMO_RUNS, **nr_compare.PENALTY_DEMOS
                   }.values():
        assert osp.isfile(osp.join(ROOT, config)), config
    assert {'LwF', 'EWC', 'MAS', 'PIGWM (soft)', 'NR (free-rank)',
            'NR (per-batch importance)'} <= set(nr_compare.DEMO_RUNS)
