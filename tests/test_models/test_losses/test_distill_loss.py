import pytest
import torch
from mmagic.registry import MODELS

import mmderain  # noqa: F401


def test_zero_when_student_equals_teacher_and_gradient():
    loss = MODELS.build(
        dict(
            type='DistillationLoss',
            loss_weight=0.8,
            criterion=dict(type='L1Loss')))
    student = torch.rand(2, 3, 4, 4, requires_grad=True)
    teacher = student.detach().clone().requires_grad_()
    value = loss(student, teacher)
    assert value.item() == 0

    teacher_out = torch.rand(2, 3, 4, 4, requires_grad=True)
    value = loss(student, teacher_out)
    value.backward()
    expected = 0.8 * torch.sign(
        student - teacher_out).detach() / student.numel()
    assert value.item() == pytest.approx(
        0.8 * (student - teacher_out).abs().mean().item())
    assert torch.allclose(student.grad, expected)
    assert teacher_out.grad is None  # the teacher is a fixed target


def test_negative_ssim_is_minimal_when_equal():
    # Importing mmderain registers SSIMLoss: its absence is a bug.
    assert MODELS.get('SSIMLoss') is not None
    loss = MODELS.build(
        dict(type='DistillationLoss', criterion=dict(type='SSIMLoss')))
    torch.manual_seed(0)
    student = torch.rand(1, 3, 16, 16)
    same = loss(student, student.clone())
    noisy = (student + 0.2 * torch.rand_like(student)).clamp(0, 1)
    other = loss(student, noisy)
    assert same.item() == pytest.approx(-0.8, abs=1e-4)
    assert other.item() > same.item()


def test_rejects_bad_criterion():
    with pytest.raises(TypeError, match='criterion'):
        MODELS.build(dict(type='DistillationLoss', criterion=3))
