"""Assertions that a piece behaves as its torch twin: values, gradients, errors.

Each takes two callables, ours and torch's, runs both on the same inputs and raises
``AssertionError`` with a readable diff when they disagree. They need no test framework:
call them from pytest, from a notebook, or from ``minitorch-lr verify``.

- :func:`assert_same_forward_backward`: outputs, then the gradient of every input and
  every parameter under the same upstream gradient, with torch's tolerances for the
  dtype. :func:`forward_backward_difference` is the same comparison returning the first
  difference as data (what differs, both values), for tools that explain it.
- :func:`assert_same_error`: both raise, and ours raises torch's exception type. Torch
  runs first, so a wrong expectation (torch does not raise) fails the check rather than
  passing it.

Left out: comparisons of whole training runs and of initial values (see
``optim_trajectories.py`` and ``init_checks.py``).
"""

import re
from dataclasses import dataclass

import torch

__all__ = [
    "Difference",
    "assert_same_error",
    "assert_same_forward_backward",
    "forward_backward_difference",
    "upstream_gradient",
]


def upstream_gradient(output, seed=0):
    """A fixed random gradient for ``output``: normal draws of its shape, dtype and device.

    Random rather than ones, so that a backward which sums or permutes where it should
    not is seen; fixed by ``seed``, so that both sides get the same one.
    """
    generator = torch.Generator().manual_seed(seed)
    values = torch.randn(output.shape, generator=generator, dtype=torch.float64)
    return values.to(dtype=output.dtype, device=output.device)


@dataclass(frozen=True)
class Difference:
    """The first thing two pieces disagree on: ``what`` ("the outputs", "the gradients
    of input 0", "the gradients of weight"), our value and torch's (a tensor or ``None``), and
    ``torch.testing``'s report of the largest difference."""

    what: str
    ours: object
    theirs: object
    report: str


def forward_backward_difference(ours, theirs, tensors, parameters=(), **tolerance):
    """Run ``ours`` and ``theirs`` on copies of ``tensors`` and return the first
    :class:`Difference` in the outputs, then in the gradients of the tensors, then in the
    gradients of ``parameters``; ``None`` if all agree.

    Args:
        ours, theirs: the two callables.
        tensors: their inputs; each side gets copies that require grad.
        parameters: ``(name, our_tensor, their_tensor)`` triples, leaf tensors that the
            callables use; their gradients are cleared first.
        tolerance: ``rtol``, ``atol`` for ``torch.testing.assert_close``, whose defaults
            for the dtype apply otherwise (float64 about 1e-7, float32 about 1e-5
            relative). NaN must appear in both at the same places.
    """
    for _, our_param, their_param in parameters:
        our_param.grad = their_param.grad = None
    our_inputs = [tensor.detach().clone().requires_grad_() for tensor in tensors]
    their_inputs = [tensor.detach().clone().requires_grad_() for tensor in tensors]
    our_output, their_output = ours(*our_inputs), theirs(*their_inputs)
    difference = _difference("the outputs", our_output, their_output, tolerance)
    if difference is not None:
        return difference
    upstream = upstream_gradient(their_output)
    our_output.backward(upstream)
    their_output.backward(upstream)
    pairs = [
        (f"the gradients of input {index}", ours_input, theirs_input)
        for index, (ours_input, theirs_input) in enumerate(zip(our_inputs, their_inputs))
    ]
    pairs += [(f"the gradients of {name}", mine, torchs) for name, mine, torchs in parameters]
    for what, our_tensor, their_tensor in pairs:
        difference = _difference(what, our_tensor.grad, their_tensor.grad, tolerance)
        if difference is not None:
            return difference
    return None


def assert_same_forward_backward(ours, theirs, *tensors, **tolerance):
    """Run ``ours`` and ``theirs`` on copies of ``tensors``: the outputs agree, and so do
    the gradients of every tensor and of every parameter under the same upstream
    gradient.

    Parameters are compared when both callables are modules (have ``named_parameters``):
    both must have the same names, and their gradients are cleared first. NaN must
    appear in both at the same places (an all-ignored mean is 0 / 0 in torch too).
    ``tolerance`` (``rtol``, ``atol``) overrides ``torch.testing``'s defaults for the
    dtype: float64 about 1e-7, float32 about 1e-5 relative.

    Raises:
        AssertionError: naming the output, the input or the parameter whose gradient
            differs, with ``torch.testing``'s report of the largest difference.
    """
    difference = forward_backward_difference(
        ours, theirs, tensors, _parameter_pairs(ours, theirs), **tolerance
    )
    if difference is not None:
        # assert_close's report calls the first tensor actual, the second expected.
        raise AssertionError(
            f"{difference.what} differ (actual: ours, expected: theirs): "
            f"{difference.report}"
        )


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


def _parameter_pairs(ours, theirs):
    if not (hasattr(ours, "named_parameters") and hasattr(theirs, "named_parameters")):
        return []
    our_params, their_params = dict(ours.named_parameters()), dict(theirs.named_parameters())
    if our_params.keys() != their_params.keys():
        raise AssertionError(
            f"the parameters differ: ours are {sorted(our_params)}, torch's {sorted(their_params)}"
        )
    return [(name, our_params[name], their_params[name]) for name in their_params]


def _difference(what, ours, theirs, tolerance):
    if (ours is None) != (theirs is None):
        missing = "ours" if ours is None else "torch's"
        return Difference(what, ours, theirs, f"{missing} is None, the other is not")
    if ours is None:
        return None
    try:
        torch.testing.assert_close(ours, theirs, equal_nan=True, **tolerance)
    except AssertionError as error:
        return Difference(what, ours, theirs, str(error))
    return None
