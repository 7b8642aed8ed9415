"""Assertions that a piece behaves as its torch twin: values, gradients, errors.

Each takes two callables, ours and torch's, runs both on the same inputs and raises
``AssertionError`` with a readable diff when they disagree. They need no test framework:
call them from pytest, from a notebook, or from ``minitorch-lr verify``.

- :func:`assert_same_forward_backward`: outputs, then the gradient of every input under
  the same upstream gradient, with torch's tolerances for the dtype.
- :func:`assert_same_error`: both raise, and ours raises torch's exception type. Torch
  runs first, so a wrong expectation (torch does not raise) fails the check rather than
  passing it.

Left out: comparisons of whole training runs and of initial values (see the rest of
:mod:`minitorch_lr.testing`).
"""

import re

import torch

__all__ = ["assert_same_error", "assert_same_forward_backward", "upstream_gradient"]


def upstream_gradient(output, seed=0):
    """A fixed random gradient for ``output``: normal draws of its shape, dtype and device.

    Random rather than ones, so that a backward which sums or permutes where it should
    not is seen; fixed by ``seed``, so that both sides get the same one.
    """
    generator = torch.Generator().manual_seed(seed)
    values = torch.randn(output.shape, generator=generator, dtype=torch.float64)
    return values.to(dtype=output.dtype, device=output.device)


def assert_same_forward_backward(ours, theirs, *tensors, **tolerance):
    """Run ``ours`` and ``theirs`` on copies of ``tensors``: the outputs agree, and so do
    the gradients of every tensor under the same upstream gradient.

    NaN must appear in both at the same places (an all-ignored mean is 0 / 0 in torch
    too). ``tolerance`` (``rtol``, ``atol``) overrides ``torch.testing``'s defaults for the
    dtype: float64 about 1e-7, float32 about 1e-5 relative.

    Raises:
        AssertionError: naming the output or the input whose gradient differs, with
            ``torch.testing``'s report of the largest difference.
    """
    ours_inputs = [tensor.clone().requires_grad_() for tensor in tensors]
    theirs_inputs = [tensor.clone().requires_grad_() for tensor in tensors]
    ours_output, theirs_output = ours(*ours_inputs), theirs(*theirs_inputs)
    _assert_close(ours_output, theirs_output, "the outputs", tolerance)
    upstream = upstream_gradient(theirs_output)
    ours_output.backward(upstream)
    theirs_output.backward(upstream)
    for index, (ours_input, theirs_input) in enumerate(zip(ours_inputs, theirs_inputs)):
        what = f"the gradients of input {index}"
        _assert_close(ours_input.grad, theirs_input.grad, what, tolerance)


def assert_same_error(ours, theirs, match=None):
    """Both callables raise, and ours raises an exception of torch's type (or a subclass).

    Args:
        ours, theirs: callables of no arguments.
        match: a regular expression that our message must contain (``re.search``).

    Returns:
        the exception torch raised.

    Raises:
        AssertionError: torch does not raise, ours does not raise, ours raises another
            type, or our message does not match.
    """
    try:
        theirs()
    except Exception as error:
        torch_error = error
    else:
        raise AssertionError("torch raised nothing: there is no error to compare with")
    expected = type(torch_error)
    try:
        ours()
    except Exception as error:
        if not isinstance(error, expected):
            raise AssertionError(
                f"torch raised {expected.__name__}({torch_error}), "
                f"ours {type(error).__name__}({error})"
            ) from error
        if match is not None and not re.search(match, str(error)):
            raise AssertionError(
                f"our {type(error).__name__} says {str(error)!r}, which does not match {match!r}"
            ) from error
        return torch_error
    raise AssertionError(f"torch raised {expected.__name__}({torch_error}), ours raised nothing")


def _assert_close(ours, theirs, what, tolerance):
    if (ours is None) != (theirs is None):
        missing = "ours" if ours is None else "torch's"
        raise AssertionError(f"{what}: {missing} is None, the other is not")
    if ours is None:
        return
    try:
        torch.testing.assert_close(ours, theirs, equal_nan=True, **tolerance)
    except AssertionError as error:
        raise AssertionError(f"{what} differ (ours, then torch's): {error}") from None
