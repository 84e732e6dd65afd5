import pytest
import torch

from mmagic.registry import MODELS
from mmderain.models.losses import GradientMSELoss
from mmderain.models.losses.gradient_loss import image_gradients


def test_diff_loss_matches_hand_computation():
    pred = torch.tensor([[1., 2., 4.], [0., 3., 9.]]).view(1, 1, 2, 3)
    target = torch.zeros(1, 1, 2, 3)
    # horizontal differences per row: [1, 2, 0] and [3, 6, 0]
    # vertical differences: [-1, 1, 5] and [0, 0, 0] (last row)
    squares = [1, 4, 0, 9, 36, 0] + [1, 1, 25, 0, 0, 0]
    loss = GradientMSELoss()(pred, target)
    assert loss.item() == pytest.approx(sum(squares) / 6)
    assert GradientMSELoss(reduction='sum')(pred, target).item() == sum(
        squares)
    per_pixel = GradientMSELoss(reduction='none')(pred, target)
    assert per_pixel.shape == pred.shape
    assert per_pixel[0, 0, 0, 0].item() == 1 + 1


def test_loss_is_zero_for_a_constant_offset_and_weighted():
    target = torch.rand(2, 3, 5, 6)
    for operator in ('diff', 'sobel'):
        loss = GradientMSELoss(operator=operator)
        assert loss(target + 0.3, target).item() == pytest.approx(0, abs=1e-10)
    pred = torch.rand(2, 3, 5, 6)
    base = GradientMSELoss()(pred, target)
    assert GradientMSELoss(loss_weight=2.5)(pred, target).item() == \
        pytest.approx(2.5 * base.item())


def test_sobel_gradient_of_a_ramp():
    ramp = torch.arange(5.).view(1, 1, 1, 5).expand(1, 1, 4, 5)
    grad_x, grad_y = image_gradients(ramp, 'sobel')
    # Interior columns: (1 + 2 + 1) * (x+1 - (x-1)) = 8; borders replicate.
    assert torch.allclose(grad_x[..., 1:-1], torch.full((1, 1, 4, 3), 8.))
    assert torch.allclose(grad_x[..., 0], torch.full((1, 1, 4), 4.))
    assert torch.equal(grad_y, torch.zeros_like(grad_y))


def test_loss_has_gradients_and_builds_from_registry():
    loss = MODELS.build(dict(type='GradientMSELoss', operator='sobel'))
    pred = torch.rand(1, 3, 6, 6, requires_grad=True)
    loss(pred, torch.rand(1, 3, 6, 6)).backward()
    assert pred.grad.abs().sum() > 0


def test_bad_arguments():
    with pytest.raises(ValueError, match='reduction'):
        GradientMSELoss(reduction='max')
    with pytest.raises(ValueError, match='operator'):
        GradientMSELoss(operator='laplace')
    with pytest.raises(ValueError, match='shape'):
        GradientMSELoss()(torch.rand(1, 3, 4, 4), torch.rand(1, 3, 4, 5))
