"""softmax and log_softmax against torch's: values and gradients along every dim, the
dtype argument, and the max shift that keeps extreme logits finite."""

import math

import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given

from minitorch_lr import scratch
from minitorch_lr.nn import functional as F
from minitorch_lr.testing import assert_same_forward_backward
from minitorch_lr.testing.strategies import tensor_and_dim
from tests.helpers import DEVICES, DTYPES


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@given(case=tensor_and_dim())
def test_softmax_and_log_softmax_match_torch(device, dtype, name, case):
    x, dim = case
    x = x.to(device=device, dtype=dtype)
    ours, theirs = getattr(F, name), getattr(TF, name)
    assert_same_forward_backward(lambda t: ours(t, dim), lambda t: theirs(t, dim), x)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@given(case=tensor_and_dim(dtype=torch.float32))
def test_dtype_argument_casts_before_computing_like_torch(name, case):
    x, dim = case
    ours, theirs = getattr(F, name), getattr(TF, name)
    result = ours(x, dim, dtype=torch.float64)
    assert result.dtype == torch.float64
    torch.testing.assert_close(result, theirs(x, dim, dtype=torch.float64))


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_zero_dim_tensor_along_dim_0_matches_torch(name):
    x = torch.tensor(3.0, dtype=torch.float64)
    torch.testing.assert_close(getattr(F, name)(x, 0), getattr(TF, name)(x, 0))


@pytest.mark.parametrize("logit", [1e4, -1e4])
def test_shift_keeps_extreme_logits_finite_where_the_naive_softmax_fails(logit):
    # Float32 rows with one extreme logit: exp(1e4) overflows to inf and exp(-1e4)
    # underflows to 0, in the chapter's naive softmax; with the max shift they do neither.
    logits = torch.tensor([[logit, 0.0, 1.0], [logit, logit, logit - 50.0]])
    naive = scratch.softmax(logits)
    assert not torch.isfinite(naive).all()
    for name in ("softmax", "log_softmax"):
        ours = getattr(F, name)(logits, 1)
        assert torch.isfinite(ours).all()
        torch.testing.assert_close(ours, getattr(TF, name)(logits, 1))


def test_log_softmax_keeps_tiny_probabilities_as_finite_logs():
    # softmax(o)_2 = e^-200 is 0 in float32, so log(softmax) is -inf; log_softmax is -200.
    logits = torch.tensor([0.0, 0.0, -200.0])
    assert torch.log(F.softmax(logits, 0))[2] == float("-inf")
    torch.testing.assert_close(F.log_softmax(logits, 0)[2], torch.tensor(-200.0 - math.log(2.0)))


def test_log_softmax_gradient_is_one_hot_minus_softmax():
    # d log softmax(o)_y / d o = onehot(y) - softmax(o): the identity cross-entropy uses.
    logits = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64, requires_grad=True)
    F.log_softmax(logits, 0)[1].backward()
    expected = torch.tensor([0.0, 1.0, 0.0], dtype=torch.float64) - F.softmax(logits, 0)
    torch.testing.assert_close(logits.grad, expected.detach())


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@given(case=tensor_and_dim(dtype=torch.float32, scales=(1.0, 5.0, 30.0)))
def test_half_precision_is_at_least_as_accurate_as_torchs(dtype, name, case):
    # Measured against float64 on the same half-precision input: rounding every step to
    # 11 or 8 bits used to make ours about five times worse than torch's float32 kernel.
    x, dim = case
    x = x.to(dtype)
    reference = getattr(TF, name)(x.double(), dim)
    ours = getattr(F, name)(x, dim)
    assert ours.dtype == dtype
    our_error = (ours.double() - reference).abs().nan_to_num(0)
    torch_error = (getattr(TF, name)(x, dim).double() - reference).abs().nan_to_num(0)
    if x.numel() > 0:
        assert our_error.max() <= torch_error.max()
