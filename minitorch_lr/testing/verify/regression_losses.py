"""verify's properties for the regression losses: ``torch.nn.MSELoss``, ``L1Loss``,
``HuberLoss`` (classes) and ``torch.nn.functional.mse_loss`` (a function).

Each is called on (input, target) pairs of one shape, at three scales (at 0.1 almost
every error is below Huber's default delta of 1, at 10 almost none is), in float64; the
loss and the gradients of both input and target must equal torch's. Each option the
piece takes is checked on its own: ``reduction='sum'``, ``reduction='none'``, and
Huber's ``delta``.

Left out: the deprecated ``size_average`` and ``reduce``, inputs and targets of
different shapes (torch broadcasts them, with a warning).
"""

import torch
from hypothesis import strategies as st

from ..loss_strategies import regression_pairs
from .calling import Twin, needs_options
from .diagnoses import (
    difference_ratio_cause,
    first_match,
    only_gradients_differ,
    reduction_candidates,
)
from .properties import Property, loss_mismatch

__all__ = ["properties"]


def _cases(options):
    """(input, target, options): ``options`` is a strategy of keyword dicts."""
    return st.tuples(regression_pairs(), options)


def properties(path):
    """The checks of the loss named ``path`` (e.g. ``"torch.nn.MSELoss"``)."""
    twin = Twin(path)
    checks = [
        Property(
            "default options (reduction='mean'): loss and gradients equal torch's",
            _compare(twin),
            _cases(st.just({})),
        )
    ]
    for reduction in ("sum", "none"):
        checks.append(
            Property(
                f"reduction='{reduction}': loss and gradients equal torch's",
                _compare(twin),
                _cases(st.just({"reduction": reduction})),
                needs_options("reduction"),
            )
        )
    if twin.short_name == "HuberLoss":
        checks.append(
            Property(
                "delta=: loss and gradients equal torch's",
                _compare(twin),
                _cases(st.fixed_dictionaries({"delta": st.sampled_from([0.5, 2.0, 5.0])})),
                needs_options("delta"),
            )
        )
    return checks


def _compare(twin):
    def compare(piece, case):
        (input, target), options = case
        return loss_mismatch(
            twin,
            piece,
            options,
            input,
            target,
            ("input", "target"),
            lambda loss, observed: _diagnose(twin, loss, input, target, options, observed),
        )

    return compare


def _diagnose(twin, loss, input, target, options, observed):
    count = input.numel()
    ratio = difference_ratio_cause(observed, count)
    if only_gradients_differ(observed):
        # The values were right, so no other value can tell what is wrong.
        return ratio
    try:
        ours = loss(input, target)
    except Exception:
        return None
    from torch.nn import functional as torch_functional

    reduction = options.get("reduction", "mean")
    candidates = reduction_candidates(
        lambda changed: twin.torch_callable(changed)(input, target), options
    )
    if twin.short_name == "HuberLoss":
        delta = options.get("delta", 1.0)
        candidates += [
            (
                "the result is torch's with delta=1: delta is not used",
                lambda: twin.torch_callable({**options, "delta": 1.0})(input, target),
            ),
            (
                "the result is HuberLoss divided by delta, which is SmoothL1Loss(beta=delta); "
                "HuberLoss keeps the delta * (|x - y| - delta / 2) branch unscaled",
                lambda: torch_functional.smooth_l1_loss(
                    input, target, reduction=reduction, beta=delta
                ),
            ),
            (
                "the result is (x - y)^2 / 2 everywhere: the linear branch for "
                "|x - y| > delta is missing",
                lambda: torch_functional.mse_loss(input, target, reduction=reduction) / 2,
            ),
        ]
    elif twin.short_name == "L1Loss":
        candidates.append(
            (
                "the result is the squared error: that is MSELoss, L1Loss takes |x - y|",
                lambda: torch_functional.mse_loss(input, target, reduction=reduction),
            )
        )
    else:
        candidates.append(
            (
                "the result is half the squared error, like the chapter's squared_loss "
                "((y_hat - y)^2 / 2); torch's MSELoss does not halve",
                lambda: torch_functional.mse_loss(input, target, reduction=reduction) / 2,
            )
        )
    return first_match(ours, candidates) or ratio or _shape_cause(ours, count)


def _shape_cause(ours, count):
    if isinstance(ours, torch.Tensor) and ours.dim() > 0 and ours.numel() == count:
        return "one loss per element where torch reduces them to one number"
    return None
