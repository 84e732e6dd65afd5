"""Test setup shared by the whole suite."""
import pytest
from mmengine.registry import init_default_scope

import mmderain  # noqa: F401  (registers our modules into mmagic's registries)


@pytest.fixture(autouse=True)
def _mmagic_scope():
    # Configs name modules without a scope prefix; mmengine's root
    # registries find mmagic's (and ours) only under the 'mmagic' default
    # scope, which some tests clear between runners.
    init_default_scope('mmagic')
