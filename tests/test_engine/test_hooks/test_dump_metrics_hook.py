import json
from unittest.mock import MagicMock

import numpy as np
import pytest

from mmderain.engine.hooks import DumpMetricsHook


def test_writes_metrics_as_plain_json(tmp_path):
    out = tmp_path / 'sub' / 'metrics.json'
    hook = DumpMetricsHook(str(out))
    hook.after_test_epoch(
        MagicMock(), metrics={'Y/PSNR': np.float64(30.5), 'note': 'x'})
    assert json.loads(out.read_text()) == {'Y/PSNR': 30.5, 'note': 'x'}


def test_rejects_a_non_json_path():
    with pytest.raises(ValueError, match='results.pkl'):
        DumpMetricsHook('results.pkl')
