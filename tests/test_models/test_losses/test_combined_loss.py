import pytest
import torch
from mmagic.registry import MODELS

import mmderain.models  # noqa: F401


def test_combined_loss_is_the_weighted_sum_of_its_terms():
    torch.manual_seed(0)
    pred, target = torch.rand(2, 3, 16, 16), torch.rand(2, 3, 16, 16)
    loss = MODELS.build(
        dict(
            type='CombinedLoss',
            losses=[
                dict(type='SSIMLoss', loss_weight=1.0),
                dict(type='L1Loss', loss_weight=0.5)
            ]))
    ssim = MODELS.build(dict(type='SSIMLoss'))(pred, target)
    l1 = (pred - target).abs().mean()
    torch.testing.assert_close(loss(pred, target), ssim + 0.5 * l1)


def test_combined_loss_needs_a_term():
    with pytest.raises(ValueError, match='at least one'):
        MODELS.build(dict(type='CombinedLoss', losses=[]))
