"""Write the metrics of a test run to a JSON file."""
import json
import os
import os.path as osp
from typing import Dict, Optional

from mmengine.dist import master_only
from mmengine.hooks import Hook

from mmagic.registry import HOOKS


@HOOKS.register_module()
class DumpMetricsHook(Hook):
    """Save the metrics of ``runner.test()`` as JSON (``tools/test.py --out``).

    mmagic's ``MultiTestLoop`` hands its metrics only to the
    ``after_test_epoch`` hook event and returns nothing, so they are caught
    here. Values are converted to plain floats where possible.

    Args:
        out_file (str): Path of the JSON file to write.
    """

    priority = 'VERY_LOW'

    def __init__(self, out_file: str) -> None:
        if not out_file.endswith('.json'):
            raise ValueError(
                f'DumpMetricsHook writes JSON; out_file must end with .json, '
                f'got {out_file!r}.')
        self.out_file = out_file

    @master_only
    def after_test_epoch(self,
                         runner,
                         metrics: Optional[Dict[str, float]] = None) -> None:
        """Write ``metrics`` to :attr:`out_file`."""
        values = {
            key: float(value) if hasattr(value, '__float__') else value
            for key, value in (metrics or {}).items()
        }
        os.makedirs(osp.dirname(osp.abspath(self.out_file)), exist_ok=True)
        with open(self.out_file, 'w', encoding='utf-8') as f:
            json.dump(values, f, indent=2)
        runner.logger.info(f'Test metrics written to {self.out_file}')
