"""The assertions of minitorch_lr.testing: each passes on a faithful twin and fails, with
a message naming what differs, on a wrong one."""

import pytest
import torch
import torch.nn.functional as TF

from minitorch_lr import nn
from minitorch_lr.nn import functional as F
from minitorch_lr.testing import (
    assert_same_error,
    assert_same_forward_backward,
    forward_backward_difference,
)


class _DoubledGradient(torch.autograd.Function):
    """softmax forward, twice the right gradient: a bug only a backward check sees."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return TF.softmax(x, 1)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        with torch.enable_grad():
            x = x.detach().requires_grad_()
            (grad,) = torch.autograd.grad(TF.softmax(x, 1), x, grad_output)
        return 2 * grad


def logits():
    return torch.randn(4, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(0))


def test_forward_backward_passes_on_a_faithful_twin():
    assert_same_forward_backward(lambda x: F.softmax(x, 1), lambda x: TF.softmax(x, 1), logits())


def test_forward_backward_fails_on_wrong_values_naming_the_outputs():
    with pytest.raises(AssertionError, match="^the outputs differ"):
        assert_same_forward_backward(
            lambda x: F.softmax(x, 0), lambda x: TF.softmax(x, 1), logits()
        )


def test_forward_backward_fails_on_a_wrong_gradient_naming_the_input():
    with pytest.raises(AssertionError, match="^the gradients of input 0 differ"):
        assert_same_forward_backward(_DoubledGradient.apply, lambda x: TF.softmax(x, 1), logits())


def test_forward_backward_requires_nan_at_the_same_places():
    nan_where_torch_is_finite = lambda x: x.log()  # noqa: E731
    with pytest.raises(AssertionError, match="outputs differ"):
        assert_same_forward_backward(
            nan_where_torch_is_finite, lambda x: x.abs().log(), -logits().abs()
        )
    # Both NaN at the same places passes.
    assert_same_forward_backward(lambda x: x.log(), lambda x: x.log(), -logits().abs())


def twin_linears():
    torch.manual_seed(0)
    ours = nn.Linear(3, 2, dtype=torch.float64)
    torch.manual_seed(0)
    return ours, torch.nn.Linear(3, 2, dtype=torch.float64)


def test_forward_backward_compares_the_gradients_of_a_modules_parameters():
    ours, theirs = twin_linears()
    assert_same_forward_backward(ours, theirs, logits())
    # Twice the weight's gradient: outputs and input gradients stay right.
    ours.weight.register_hook(lambda grad: 2 * grad)
    with pytest.raises(AssertionError, match="^the gradients of weight differ"):
        assert_same_forward_backward(ours, theirs, logits())


def test_forward_backward_requires_the_same_parameter_names():
    ours, theirs = twin_linears()
    ours.extra = nn.Parameter(torch.zeros(1))
    with pytest.raises(AssertionError, match=r"ours are \['bias', 'extra', 'weight'\]"):
        assert_same_forward_backward(ours, theirs, logits())


def test_difference_gives_what_differs_and_both_values():
    ours, theirs = twin_linears()
    pairs = [(name, getattr(ours, name), getattr(theirs, name)) for name in ("weight", "bias")]
    assert forward_backward_difference(ours, theirs, [logits()], pairs) is None
    difference = forward_backward_difference(lambda x: 2 * ours(x), theirs, [logits()], pairs)
    assert difference.what == "the outputs"
    torch.testing.assert_close(difference.ours, 2 * difference.theirs)


def test_same_error_passes_when_ours_raises_torchs_type():
    error = assert_same_error(
        lambda: F.softmax(torch.ones(2, dtype=torch.long), 0),
        lambda: TF.softmax(torch.ones(2, dtype=torch.long), 0),
    )
    assert isinstance(error, RuntimeError)


def test_same_error_fails_when_torch_raises_nothing():
    with pytest.raises(AssertionError, match="torch raised nothing"):
        assert_same_error(lambda: 1 / 0, lambda: None)


def test_same_error_fails_when_ours_raises_nothing_or_another_type():
    def torch_raises():
        raise ValueError("bad")

    with pytest.raises(AssertionError, match="ours raised nothing"):
        assert_same_error(lambda: None, torch_raises)
    with pytest.raises(AssertionError, match=r"torch raised ValueError\(bad\), ours TypeError"):
        assert_same_error(lambda: int([]), torch_raises)


def test_same_error_checks_our_message_against_match():
    def raises(message):
        def call():
            raise ValueError(message)

        return call

    assert_same_error(raises("batch_size must be positive"), raises("x"), match="batch_size")
    with pytest.raises(AssertionError, match="does not match"):
        assert_same_error(raises("something else"), raises("x"), match="batch_size")
