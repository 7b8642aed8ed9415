"""The shorter routes of cross-entropy: each equals the reference and torch's on the
targets it takes, and route() sends only those targets to it."""

import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given

from minitorch_lr.nn import cross_entropy as reference
from minitorch_lr.nn import cross_entropy_fast as fast
from minitorch_lr.nn import functional as F
from minitorch_lr.testing import assert_same_forward_backward
from minitorch_lr.testing.loss_strategies import class_index_cases, reductions
from tests.helpers import DTYPES


def reference_loss(ignore_index, reduction):
    """The reference route of cross_entropy: no weights, no smoothing."""
    return lambda x, target: reference.class_index_cross_entropy(
        x, target, None, ignore_index, reduction, 0.0
    )


@pytest.mark.parametrize("dtype", DTYPES)
@given(case=class_index_cases(), reduction=reductions)
def test_plain_route_equals_the_reference_and_torch_when_every_target_is_a_class(
    dtype, case, reduction
):
    logits, target, _ = case
    target = target.where(target >= 0, 0)
    logits = logits.to(dtype)
    plain = lambda x: fast.plain_cross_entropy(x, target, -100, reduction)  # noqa: E731
    assert_same_forward_backward(
        plain, lambda x: TF.cross_entropy(x, target, reduction=reduction), logits
    )
    assert_same_forward_backward(
        plain, lambda x: reference_loss(-100, reduction)(x, target), logits
    )


@pytest.mark.parametrize("dtype", DTYPES)
@given(case=class_index_cases(), reduction=reductions)
def test_fused_route_equals_the_reference_and_torch_with_ignored_targets(dtype, case, reduction):
    # The route on a GPU; run here on the CPU so that it is tested without one.
    logits, target, kwargs = case
    ignore_index = kwargs["ignore_index"]
    logits = logits.to(dtype)
    fused = lambda x: fast.fused_cross_entropy(x, target, ignore_index, reduction)  # noqa: E731
    assert_same_forward_backward(
        fused,
        lambda x: TF.cross_entropy(x, target, ignore_index=ignore_index, reduction=reduction),
        logits,
    )
    assert_same_forward_backward(
        fused, lambda x: reference_loss(ignore_index, reduction)(x, target), logits
    )


@pytest.mark.parametrize(
    ("target", "ignore_index", "expected"),
    [
        pytest.param([0, 2, 1], -100, fast.plain_cross_entropy, id="every-target-a-class"),
        pytest.param([0, -100, 1], -100, None, id="an-ignored-target"),
        pytest.param([0, 2, 1], 1, None, id="ignore-index-names-a-class"),
        pytest.param([0, 3, 1], -100, None, id="a-target-out-of-range"),
        pytest.param([], -100, None, id="no-targets"),
    ],
)
def test_route_takes_the_plain_route_on_the_cpu_only_when_nothing_needs_masking(
    target, ignore_index, expected
):
    logits = torch.zeros(len(target), 3)
    assert fast.route(logits, torch.tensor(target, dtype=torch.long), ignore_index) is expected


def test_cross_entropy_takes_the_plain_route_by_default_on_the_cpu(monkeypatch):
    taken = []
    plain = fast.plain_cross_entropy
    monkeypatch.setattr(
        fast, "plain_cross_entropy", lambda *args: taken.append(True) or plain(*args)
    )
    F.cross_entropy(torch.randn(4, 3), torch.tensor([0, 2, 1, 0]))
    assert taken == [True]
