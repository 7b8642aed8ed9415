"""Reductions: how a loss turns one value per element into what it returns.

Every loss in this package takes ``reduction``: ``'mean'`` (the default) averages the
per-element losses, ``'sum'`` adds them, ``'none'`` returns them as they are. This file
is the one place that knows the three names, so every loss refuses an unknown one with
the same ``ValueError``, as torch's ``torch/nn/_reduction.py`` does for torch's losses.

Cross-entropy's ``'mean'`` is a weighted mean when classes have weights or targets are
ignored; it divides by its own denominator and uses only :func:`check_reduction` here.

Left out: the deprecated ``size_average`` / ``reduce`` pair that torch translates here.
"""

__all__ = ["REDUCTIONS", "check_reduction", "reduce"]

REDUCTIONS = ("none", "mean", "sum")
"""The three reductions every loss takes."""


def check_reduction(reduction):
    """Raise torch's ``ValueError`` unless ``reduction`` is one of :data:`REDUCTIONS`."""
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")


def reduce(losses, reduction):
    """``losses.mean()``, ``losses.sum()`` or ``losses`` itself, by ``reduction``."""
    check_reduction(reduction)
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    return losses
