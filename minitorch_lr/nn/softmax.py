r"""Softmax and log-softmax, computed the stable way. Mirror ``torch.softmax`` and
``torch.log_softmax`` (``torch.nn.functional.softmax`` / ``log_softmax``).

Softmax turns a row of scores (logits) :math:`o_1, \dots, o_C` into probabilities

.. math:: \mathrm{softmax}(o)_j = \frac{\exp(o_j)}{\sum_k \exp(o_k)}.

Written like that it breaks on ordinary float32 numbers: ``exp(89)`` is already ``inf``,
so a logit of 100 gives ``inf / inf = nan``; and ``exp(-104)`` rounds to 0, so a row of
very negative logits gives ``0 / 0 = nan``, and its log is ``log(0) = -inf``. Both
functions here first subtract the row maximum (the log-sum-exp trick, see
:func:`log_softmax`), which costs nothing in exactness and removes both failures.

In float16 and bfloat16 both compute in float32 and round the result once, as torch does.

Left out: the deprecated implicit ``dim`` (``dim`` must be given) and ``_stacklevel``.
"""

import torch

__all__ = ["log_softmax", "softmax"]

# Computed in float32 and rounded once at the end, as torch's kernels do: rounding each
# of the four or five steps to 8 (bfloat16) or 11 (float16) bits of mantissa made the
# result about five times less accurate than torch's.
_HALF_PRECISION = (torch.float16, torch.bfloat16)


def softmax(input, dim, dtype=None):
    r""":math:`\mathrm{softmax}(o)_j = \exp(o_j - m) / \sum_k \exp(o_k - m)`,
    :math:`m = \max_k o_k`, along ``dim``.

    Dividing numerator and denominator by :math:`\exp(m)` changes nothing, and after the
    shift every exponent is at most 0: no ``exp`` overflows, and the largest term is
    exactly 1, so the denominator is at least 1 and never underflows to 0.

    Args:
        input: the logits.
        dim: the dim along which the result sums to 1 (the class dim C).
        dtype: if given, ``input`` is cast to it first (e.g. to compute in float64).

    Shape:
        - input: any shape :math:`(*)`; output: the same shape.

    Example::

        >>> import math, torch
        >>> from minitorch_lr.nn import functional as F
        >>> F.softmax(torch.tensor([0.0, math.log(3.0)]), dim=0)  # 1 : 3
        tensor([0.2500, 0.7500])
    """
    input = _floating_input(input, dtype, "softmax")
    if input.dtype in _HALF_PRECISION:
        return softmax(input.float(), dim).to(input.dtype)
    shifted = input - _row_max(input, dim)
    exps = shifted.exp()
    return exps / exps.sum(dim, keepdim=True)


def log_softmax(input, dim, dtype=None):
    r""":math:`\log \mathrm{softmax}(o)_j = o_j - \mathrm{logsumexp}(o)`, computed as
    :math:`(o_j - m) - \log \sum_k \exp(o_k - m)` with :math:`m = \max_k o_k`, along ``dim``.

    **Why the shift is exact.** For any number :math:`m`,

    .. math:: \log \sum_k \exp(o_k) = m + \log \sum_k \exp(o_k - m),

    because :math:`\exp(o_k) = \exp(m) \exp(o_k - m)` and :math:`\log \exp(m) = m`. So
    :math:`o_j - \log \sum_k \exp(o_k) = (o_j - m) - \log \sum_k \exp(o_k - m)` holds
    for every :math:`m`; choosing the row maximum only changes which numbers the
    computer has to represent.

    **What goes wrong without it.** In float32, ``exp`` overflows to ``inf`` above about
    88.7, so one logit of 100 makes the sum ``inf`` and every log-probability ``-inf``
    (or ``nan`` where ``inf - inf`` appears). Below about -104, ``exp`` underflows to 0;
    a row whose logits are all that negative sums to 0 and its log is ``-inf``.
    With the shift, every exponent is :math:`\le 0` (no overflow) and the maximum's term
    is exactly :math:`\exp(0) = 1`, so the sum lies in :math:`[1, C]` and its log is
    finite (no underflow). Subtracting in log space also keeps a tiny probability such as
    :math:`e^{-200}` as the finite log-probability -200 instead of ``log(0)``.

    Args:
        input: the logits.
        dim: the class dim C.
        dtype: if given, ``input`` is cast to it first.

    Shape:
        - input: any shape :math:`(*)`; output: the same shape.

    Example::

        >>> import torch
        >>> from minitorch_lr.nn import functional as F
        >>> F.log_softmax(torch.tensor([1000.0, 1000.0]), dim=0)  # log(1/2), no overflow
        tensor([-0.6931, -0.6931])
    """
    input = _floating_input(input, dtype, "log_softmax")
    if input.dtype in _HALF_PRECISION:
        return log_softmax(input.float(), dim).to(input.dtype)
    shifted = input - _row_max(input, dim)
    return shifted - shifted.exp().sum(dim, keepdim=True).log()


def _row_max(input, dim):
    """The shift m: the max along ``dim``, kept as a size-1 dim.

    The result does not depend on the shift, so the shift needs no gradient. An empty
    tensor has no max, and its result is empty whatever the shift: use 0.
    """
    if input.numel() == 0:
        return 0
    return input.amax(dim, keepdim=True).detach()


def _floating_input(input, dtype, name):
    """``input`` cast to ``dtype`` if given; an integer tensor is torch's
    NotImplementedError (exp and log of integers have no integer result)."""
    if dtype is not None:
        input = input.to(dtype)
    if not (input.is_floating_point() or input.is_complex()):
        raise NotImplementedError(f"{name} needs a floating-point input, got {input.dtype}")
    return input
