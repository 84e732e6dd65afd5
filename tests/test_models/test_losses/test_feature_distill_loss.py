import pytest
import torch

from mmderain.models.losses import FeatureDistillLoss


def test_value_and_only_student_gets_gradients():
    student = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    teacher = torch.tensor([[0., 2.], [3., 2.]], requires_grad=True)
    loss = FeatureDistillLoss(loss_weight=2.0)(student, teacher)
    assert loss.item() == pytest.approx(2.0 * (1 + 4) / 4)
    loss.backward()
    assert student.grad is not None and student.grad.abs().sum() > 0
    assert teacher.grad is None


def test_sequences_sum_and_reduction():
    a, b = torch.ones(2, 3), torch.zeros(2, 3)
    loss = FeatureDistillLoss(reduction='sum')
    assert loss([a, a], [b, a]).item() == pytest.approx(6)
    assert FeatureDistillLoss()(a, a).item() == 0


def test_bad_inputs():
    with pytest.raises(ValueError, match='reduction'):
        FeatureDistillLoss(reduction='none')
    with pytest.raises(ValueError, match='shape'):
        FeatureDistillLoss()(torch.ones(2, 3), torch.ones(3, 2))
    with pytest.raises(ValueError, match='teacher outputs'):
        FeatureDistillLoss()([torch.ones(1)], [torch.ones(1), torch.ones(1)])
