"""Test setup for the engine parts: the toy pieces in nr_toys.py are
importable, and mmengine's global instances are cleared between tests."""
import logging
import os.path as osp
import sys

import pytest
from mmengine.logging import MessageHub, MMLogger
from mmengine.registry import DefaultScope
from mmengine.visualization import Visualizer

sys.path.insert(0, osp.dirname(__file__))


@pytest.fixture(autouse=True)
def _clean_mmengine_globals():
    yield
    logging.shutdown()
    MMLogger._instance_dict.clear()
    Visualizer._instance_dict.clear()
    DefaultScope._instance_dict.clear()
    MessageHub._instance_dict.clear()
