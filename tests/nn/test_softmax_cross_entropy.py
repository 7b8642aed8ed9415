"""SoftmaxCrossEntropy, the hand-written gradient softmax - onehot: gradcheck in float64,
and values and gradients against torch's cross_entropy."""

import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given

from minitorch_lr.nn.softmax_cross_entropy import SoftmaxCrossEntropy, softmax_cross_entropy
from minitorch_lr.testing import assert_same_error, assert_same_forward_backward
from minitorch_lr.testing.loss_strategies import teaching_cases
from tests.helpers import DTYPES


@given(case=teaching_cases())
def test_softmax_minus_onehot_backward_passes_gradcheck(case):
    logits, target, weight, reduction = case
    x = logits.clone().requires_grad_()
    assert torch.autograd.gradcheck(
        lambda z: softmax_cross_entropy(z, target, weight, -100, reduction), (x,)
    )


@pytest.mark.parametrize("dtype", DTYPES)
@given(case=teaching_cases())
def test_softmax_minus_onehot_matches_torch(dtype, case):
    logits, target, weight, reduction = case
    weight = None if weight is None else weight.to(dtype)
    assert_same_forward_backward(
        lambda x: softmax_cross_entropy(x, target, weight, -100, reduction),
        lambda x: TF.cross_entropy(x, target, weight=weight, reduction=reduction),
        logits.to(dtype),
    )


def test_backward_of_one_example_is_softmax_minus_onehot():
    logits = torch.tensor([[2.0, 1.0, 0.1]], dtype=torch.float64, requires_grad=True)
    SoftmaxCrossEntropy.apply(logits, torch.tensor([1]), None, -100, "sum").backward()
    probs = logits.detach().exp() / logits.detach().exp().sum()
    onehot = torch.tensor([[0.0, 1.0, 0.0]], dtype=torch.float64)
    torch.testing.assert_close(logits.grad, probs - onehot)


def test_all_ignored_mean_gives_torchs_zero_gradient():
    x = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    softmax_cross_entropy(x, torch.full((3,), -100)).backward()
    assert (x.grad == 0).all()


def test_teaching_function_rejects_unknown_reduction_like_torch():
    assert_same_error(
        lambda: softmax_cross_entropy(torch.zeros(1, 2), torch.tensor([0]), reduction="avg"),
        lambda: TF.cross_entropy(torch.zeros(1, 2), torch.tensor([0]), reduction="avg"),
        match="avg is not a valid value",
    )
