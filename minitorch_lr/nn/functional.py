r"""The math of the layers and losses as plain functions. Mirrors ``torch.nn.functional``.

The module classes (``Linear``, the losses) hold configuration and parameters; the
computation lives here, written with raw tensor operations so it can be read top to
bottom. Softmax and log-softmax live in ``softmax.py`` and cross-entropy in
``cross_entropy.py``; they are re-exported here under torch's names.

The regression losses compare a prediction :math:`x` with a target :math:`y` element by
element and then reduce: ``'mean'`` (the default) averages over all elements, ``'sum'``
adds them, ``'none'`` returns them unreduced, in the shape of ``x - y``.

Left out: the deprecated ``size_average`` and ``reduce`` arguments (pass ``reduction`` by
keyword) and the per-element ``weight`` of the regression losses.
"""

import math
import warnings

import torch

from .cross_entropy import cross_entropy
from .reduction import check_reduction, reduce
from .softmax import log_softmax, softmax
from .tensor_arguments import check_tensor

__all__ = [
    "cross_entropy",
    "huber_loss",
    "l1_loss",
    "linear",
    "log_softmax",
    "mse_loss",
    "smooth_l1_loss",
    "softmax",
]


def linear(input, weight, bias=None):
    r""":math:`y = x W^\top + b`.

    Shape:
        - input: :math:`(*, D)`; weight: :math:`(C, D)`; bias: :math:`(C,)` or ``None``.
        - output: :math:`(*, C)`.

    Example::

        >>> import torch
        >>> from minitorch_lr.nn import functional as F
        >>> F.linear(torch.ones(2, 3), torch.ones(4, 3), torch.arange(4.0))
        tensor([[3., 4., 5., 6.],
                [3., 4., 5., 6.]])
    """
    check_tensor(input, "linear", "input", 1)
    check_tensor(weight, "linear", "weight", 2)
    if bias is not None and input.dim() == 2:
        # addmm computes bias + input @ weight.T in one kernel instead of two.
        return torch.addmm(bias, input, weight.t())
    output = input.matmul(weight.t())
    if bias is not None:
        output = output + bias
    return output


def mse_loss(input, target, *, reduction="mean"):
    r"""Squared error :math:`\ell_i = (x_i - y_i)^2`, then reduced.

    Minimising it is maximum likelihood when :math:`y = x + \epsilon` with Gaussian noise
    :math:`\epsilon`. The chapter's ``squared_loss`` has an extra factor 1/2 (it makes the
    gradient :math:`x - y`); torch's, and this one, do not.

    Shape:
        - input: :math:`(*)`; target: the same shape (another broadcastable shape warns).
        - output: a scalar, or with ``'none'`` the broadcast shape.

    Example::

        >>> import torch
        >>> from minitorch_lr.nn import functional as F
        >>> F.mse_loss(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 4.0]))  # (0 + 4) / 2
        tensor(2.)
    """
    _warn_if_sizes_differ(input, target)
    check_reduction(reduction)
    difference = input - target
    # After promotion: an integer input with a float target is fine, as in torch.
    _check_floating(difference, "mse_loss")
    return reduce(difference**2, reduction)


def l1_loss(input, target, *, reduction="mean"):
    r"""Absolute error :math:`\ell_i = |x_i - y_i|`, then reduced.

    It grows linearly, so outliers pull less than under the squared error: the constant
    that minimises the summed L1 loss is the median of the targets, where for the squared
    error it is their mean. Its gradient is :math:`\mathrm{sign}(x_i - y_i)` (0 at 0).

    Shape:
        - input: :math:`(*)`; target: the same shape (another broadcastable shape warns).
        - output: a scalar, or with ``'none'`` the broadcast shape.

    Example::

        >>> import torch
        >>> from minitorch_lr.nn import functional as F
        >>> F.l1_loss(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 4.0]))  # (0 + 2) / 2
        tensor(1.)
    """
    _warn_if_sizes_differ(input, target)
    check_reduction(reduction)
    return reduce((input - target).abs(), reduction)


def huber_loss(input, target, reduction="mean", delta=1.0):
    r"""Squared near 0, linear far from it: with :math:`e_i = |x_i - y_i|`,

    .. math::

        \ell_i = \begin{cases} \frac12 e_i^2 & e_i < \delta \\
        \delta (e_i - \frac12 \delta) & \text{otherwise,} \end{cases}

    the two pieces meeting at :math:`e = \delta` with the same value and slope
    :math:`\delta`. So the gradient is :math:`x_i - y_i` for small errors (as for the
    squared loss) and :math:`\delta \, \mathrm{sign}(x_i - y_i)` for large ones (clipped,
    as for L1).

    Mixed dtypes promote to the wider one, as in :func:`mse_loss` (torch's ``huber_loss``
    returns the input's dtype instead and then fails in backward).

    Args:
        input, target: the predictions and the targets.
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.
        delta: where the loss turns from squared to linear; must be positive.

    Shape:
        - input: :math:`(*)`; target: the same shape (another broadcastable shape warns).
        - output: a scalar, or with ``'none'`` the broadcast shape.

    Example::

        >>> import torch
        >>> from minitorch_lr.nn import functional as F
        >>> # errors 0.5 and 3: 0.5 * 0.5^2 inside delta = 1, 1 * (3 - 0.5) outside
        >>> F.huber_loss(torch.tensor([0.5, -3.0]), torch.zeros(2), reduction="none")
        tensor([0.1250, 2.5000])
    """
    # torch's order: the size warning, then the reduction, then delta.
    _warn_if_sizes_differ(input, target)
    check_reduction(reduction)
    if not delta > 0:
        raise RuntimeError(
            f"huber_loss does not support non-positive values for delta. Got: {delta}"
        )
    _check_floating(input, "huber_loss")
    difference = input - target
    if math.isinf(delta):
        # All quadratic. The linear piece would multiply by inf, and even masked out by
        # `where` its gradient would be 0 * inf = nan.
        return reduce(0.5 * difference**2, reduction)
    error = difference.abs()
    # 0.5 * difference**2, not 0.5 * error**2: the same values, but the second derivative
    # at a zero residual is 1, as torch's is, where |x|'s kink would make it 0.
    losses = torch.where(error < delta, 0.5 * difference**2, delta * (error - 0.5 * delta))
    return reduce(losses, reduction)


def smooth_l1_loss(input, target, *, reduction="mean", beta=1.0):
    r"""Huber's shape scaled by :math:`1/\beta`: with :math:`e_i = |x_i - y_i|`,

    .. math::

        \ell_i = \begin{cases} \frac{1}{2\beta} e_i^2 & e_i < \beta \\
        e_i - \frac12 \beta & \text{otherwise,} \end{cases}

    so that :math:`\ell = \mathrm{huber}_{\delta=\beta} / \beta`: the linear piece has
    slope 1, as L1 has, whatever :math:`\beta`, and :math:`\beta = 0` is the L1 loss
    itself. (Huber's keeps slope :math:`\delta` and is the squared loss inside.)

    Args:
        input, target: the predictions and the targets.
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.
        beta: where the loss turns from squared to linear; must be at least 0.

    Shape:
        - input: :math:`(*)`; target: the same shape (another broadcastable shape warns).
        - output: a scalar, or with ``'none'`` the broadcast shape.

    Example::

        >>> import torch
        >>> from minitorch_lr.nn import functional as F
        >>> # errors 1 and 5 with beta = 2: 1^2 / (2 * 2) inside, 5 - 1 outside
        >>> F.smooth_l1_loss(torch.tensor([1.0, 5.0]), torch.zeros(2), beta=2.0, reduction="none")
        tensor([0.2500, 4.0000])
    """
    _warn_if_sizes_differ(input, target)
    check_reduction(reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    _check_floating(input, "smooth_l1_loss")
    difference = input - target
    error = difference.abs()
    if beta == 0:
        return reduce(error, reduction)
    # As in huber_loss: difference**2 gives torch's second derivative 1 / beta at 0.
    losses = torch.where(error < beta, 0.5 * difference**2 / beta, error - 0.5 * beta)
    return reduce(losses, reduction)


def _check_floating(input, name):
    if not input.is_floating_point():
        raise NotImplementedError(f"{name} needs a floating-point input, got {input.dtype}")


def _warn_if_sizes_differ(input, target):
    # Broadcasting (N, 1) against (N,) silently gives an (N, N) matrix of errors, a
    # common bug in regression code; torch warns, and so does this.
    if target.size() != input.size():
        warnings.warn(
            f"Using a target size ({target.size()}) that is different to the input size "
            f"({input.size()}). This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.",
            stacklevel=3,
        )
