"""From a symptom to a likely cause: the checks every piece's diagnosis is built from.

A diagnosis looks only at what it can observe on the smallest failing input:

- **a constant ratio** to torch's values (:func:`constant_ratio`): exactly 2 or 1/2 is a
  stray or missing factor 2, -1 a flipped sign, N or 1/N a sum where torch takes a mean
  or the reverse (:func:`ratio_cause`);
- **a counterfactual** that matches (:func:`first_match`): the piece gives what torch
  gives with an option changed (weight decay 0, the weight transposed, another
  reduction), which names the option the piece gets wrong;
- **the right values in another dtype** (:func:`dtype_cause`), asked first;
- **non-finite values where torch's are finite** (:func:`non_finite_only_in_yours`),
  which the piece's own module then probes (e.g. with the logits shifted by their max).

When nothing fits, the report says "cause unknown" rather than guess.

Mirrors no torch function. Left out: diagnoses that need more than one input.
"""

import torch

from ..assertions import Difference, upstream_gradient

__all__ = [
    "agrees",
    "constant_ratio",
    "difference_ratio_cause",
    "dtype_cause",
    "first_match",
    "gradient_of",
    "non_finite_only_in_yours",
    "only_gradients_differ",
    "ratio_cause",
    "reduction_candidates",
]


def agrees(ours, theirs, **tolerance):
    """Whether two values are equal within ``torch.testing``'s tolerances (NaN where the
    other is NaN counts as equal), without raising."""
    if not (isinstance(ours, torch.Tensor) and isinstance(theirs, torch.Tensor)):
        return False
    if ours.shape != theirs.shape:
        return False
    try:
        torch.testing.assert_close(
            ours.detach(), theirs.detach(), equal_nan=True, check_dtype=False, **tolerance
        )
    except AssertionError:
        return False
    return True


def constant_ratio(ours, theirs):
    """The number c with ``ours == c * theirs`` everywhere (float64 tolerances), or None.

    Needs two tensors of one shape with finite values and at least one nonzero in torch's.
    """
    if not (isinstance(ours, torch.Tensor) and isinstance(theirs, torch.Tensor)):
        return None
    ours, theirs = ours.detach().double(), theirs.detach().double()
    if ours.shape != theirs.shape or not (ours.isfinite().all() and theirs.isfinite().all()):
        return None
    nonzero = theirs.abs() > 1e-12
    if not nonzero.any():
        return None
    ratio = (ours[nonzero] / theirs[nonzero]).median().item()
    return ratio if agrees(ours, ratio * theirs, rtol=1e-6, atol=1e-9) else None


def ratio_cause(ratio, what, count=None):
    """The sentence for ``what`` (e.g. "the gradients of input 0") being ``ratio`` times
    torch's, or None if the ratio suggests nothing. ``count`` is the number of elements
    a mean divides by, when there is one."""
    if ratio is None:
        return None

    def near(value):
        return abs(ratio - value) <= 1e-6 * max(1.0, abs(value))

    if near(2.0):
        return f"{what} are exactly twice torch's: a factor 2 too many (a missing 1/2)"
    if near(0.5):
        return f"{what} are exactly half torch's: a stray factor 1/2"
    if near(-1.0):
        return f"{what} have the opposite sign of torch's: a flipped sign"
    if count is not None and count > 2 and near(count):
        return (
            f"{what} are {count} times torch's: a sum where torch takes the mean over "
            f"the {count} elements"
        )
    if count is not None and count > 2 and near(1 / count):
        return (
            f"{what} are 1/{count} of torch's: divided by the {count} elements once too "
            "often (a mean where torch sums, or a mean taken twice)"
        )
    return None


def only_gradients_differ(observed):
    """Whether ``observed`` is a :class:`~minitorch_lr.testing.assertions.Difference` in
    gradients (so the values were right)."""
    return isinstance(observed, Difference) and observed.what != "the outputs"


def difference_ratio_cause(observed, count=None):
    """:func:`ratio_cause` for what ``observed`` (a Difference, or an exception: None)
    shows; for gradients, it says that the values were right."""
    if not isinstance(observed, Difference):
        return None
    cause = ratio_cause(constant_ratio(observed.ours, observed.theirs), observed.what, count)
    if cause is not None and only_gradients_differ(observed):
        return f"the values are right but {cause}"
    return cause


def dtype_cause(observed):
    """The cause of a difference in dtype alone (the values agree, ``observed`` is a
    :class:`~minitorch_lr.testing.assertions.Difference`), or None.

    Every piece's diagnosis asks this first: its counterfactuals compare values only.
    """
    if not isinstance(observed, Difference):
        return None
    ours, theirs = observed.ours, observed.theirs
    if not (isinstance(ours, torch.Tensor) and isinstance(theirs, torch.Tensor)):
        return None
    if ours.dtype == theirs.dtype or not agrees(ours, theirs):
        return None
    return (
        f"the values are right but {observed.what} are {_dtype_name(ours)} where torch's are "
        f"{_dtype_name(theirs)}: compute in the dtype of the inputs and parameters (look for "
        "a .float(), .double() or a tensor made inside without dtype=)"
    )


def _dtype_name(tensor):
    return str(tensor.dtype).removeprefix("torch.")


def reduction_candidates(torch_value, options):
    """:func:`first_match` candidates for a loss that ignores its ``reduction``:
    ``torch_value(options)`` is torch's loss with other options."""
    reduction = options.get("reduction", "mean")
    return [
        (
            f"the result is torch's with reduction='{other}': reduction='{reduction}' is "
            "not applied",
            lambda other=other: torch_value({**options, "reduction": other}),
        )
        for other in ("mean", "sum", "none")
        if other != reduction
    ]


def first_match(ours, candidates):
    """The cause of the first candidate whose value equals ``ours``, or None.

    Args:
        ours: the piece's value on the failing input.
        candidates: ``(cause, compute)`` pairs: ``compute()`` gives what torch (or a
            known mistake) gives on the same input. A candidate that raises is passed
            over.
    """
    for cause, compute in candidates:
        try:
            value = compute()
        except Exception:  # a counterfactual that cannot be computed here tells nothing
            continue
        if agrees(ours, value):
            return cause
    return None


def gradient_of(function, input):
    """The gradient of ``function`` at ``input`` under the upstream gradient that
    :func:`~minitorch_lr.testing.assertions.forward_backward_difference` sends back, to
    compare with a gradient it reported."""
    input = input.detach().clone().requires_grad_()
    output = function(input)
    output.backward(upstream_gradient(output))
    return input.grad


def non_finite_only_in_yours(ours, theirs):
    """Whether ``ours`` has NaN or inf where torch's value is finite."""
    if not (isinstance(ours, torch.Tensor) and isinstance(theirs, torch.Tensor)):
        return False
    if ours.shape != theirs.shape:
        return False
    return bool((~ours.isfinite() & theirs.isfinite()).any())
