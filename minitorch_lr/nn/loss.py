"""Loss modules: MSELoss, L1Loss, HuberLoss, SmoothL1Loss, CrossEntropyLoss. Mirror
torch.nn's losses.

Each class only stores its options and calls its function in
:mod:`~minitorch_lr.nn.functional`, where the math and its docstring live. Options are
checked when the loss is computed, not when the module is built, as in torch (an
unknown ``reduction`` is a ``ValueError`` on the first call).

Left out: the deprecated ``size_average`` and ``reduce`` arguments, and torch's ``_Loss`` /
``_WeightedLoss`` base classes. The options that come after those two in torch's
signatures are keyword-only here (all of MSELoss's, L1Loss's and SmoothL1Loss's,
CrossEntropyLoss's after ``weight``), so a positional call cannot bind to a different
option than in torch.
HuberLoss never had them and takes its options as torch does.
"""

from . import functional
from .module import Module

__all__ = ["CrossEntropyLoss", "HuberLoss", "L1Loss", "MSELoss", "SmoothL1Loss"]


class MSELoss(Module):
    r"""Mean squared error :math:`(x_i - y_i)^2`, reduced by ``reduction``.

    Args:
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.

    Shape:
        - Input: :math:`(*)`; Target: the same shape.
        - Output: a scalar, or :math:`(*)` with ``'none'``.

    Example::

        >>> import torch
        >>> from minitorch_lr import nn
        >>> nn.MSELoss()(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 4.0]))  # (0 + 4) / 2
        tensor(2.)
    """

    def __init__(self, *, reduction="mean"):
        super().__init__()
        self.reduction = reduction

    def forward(self, input, target):
        """The loss of ``input`` against ``target`` with this module's options."""
        return functional.mse_loss(input, target, reduction=self.reduction)


class L1Loss(Module):
    r"""Mean absolute error :math:`|x_i - y_i|`, reduced by ``reduction``; see
    :func:`~minitorch_lr.nn.functional.l1_loss`.

    Args:
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.

    Shape:
        - Input: :math:`(*)`; Target: the same shape.
        - Output: a scalar, or :math:`(*)` with ``'none'``.

    Example::

        >>> import torch
        >>> from minitorch_lr import nn
        >>> nn.L1Loss()(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 4.0]))  # (0 + 2) / 2
        tensor(1.)
    """

    def __init__(self, *, reduction="mean"):
        super().__init__()
        self.reduction = reduction

    def forward(self, input, target):
        """The loss of ``input`` against ``target`` with this module's options."""
        return functional.l1_loss(input, target, reduction=self.reduction)


class HuberLoss(Module):
    r"""Huber loss: :math:`\frac12 e^2` for errors :math:`|e| < \delta`, else
    :math:`\delta (|e| - \frac12 \delta)`; see :func:`~minitorch_lr.nn.functional.huber_loss`.

    Args:
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.
        delta: the error at which the loss turns linear; a non-positive value is a
            ``RuntimeError`` when the loss is computed.

    Shape:
        - Input: :math:`(*)`; Target: the same shape.
        - Output: a scalar, or :math:`(*)` with ``'none'``.

    Example::

        >>> import torch
        >>> from minitorch_lr import nn
        >>> nn.HuberLoss(delta=1.0)(torch.tensor([0.5, -3.0]), torch.zeros(2))  # (0.125 + 2.5) / 2
        tensor(1.3125)
    """

    def __init__(self, reduction="mean", delta=1.0):
        super().__init__()
        self.reduction = reduction
        self.delta = delta

    def forward(self, input, target):
        """The loss of ``input`` against ``target`` with this module's options."""
        return functional.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class SmoothL1Loss(Module):
    r"""Smooth L1 loss: :math:`\frac{1}{2\beta} e^2` for errors :math:`|e| < \beta`, else
    :math:`|e| - \frac12 \beta`, which is Huber's loss divided by :math:`\beta`; see
    :func:`~minitorch_lr.nn.functional.smooth_l1_loss`.

    Args:
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.
        beta: the error at which the loss turns linear; ``0`` makes it the L1 loss, a
            negative value is a ``RuntimeError`` when the loss is computed.

    Shape:
        - Input: :math:`(*)`; Target: the same shape.
        - Output: a scalar, or :math:`(*)` with ``'none'``.

    Example::

        >>> import torch
        >>> from minitorch_lr import nn
        >>> nn.SmoothL1Loss(beta=2.0)(torch.tensor([1.0, 5.0]), torch.zeros(2))  # (0.25 + 4) / 2
        tensor(2.1250)
    """

    def __init__(self, *, reduction="mean", beta=1.0):
        super().__init__()
        self.reduction = reduction
        self.beta = beta

    def forward(self, input, target):
        """The loss of ``input`` against ``target`` with this module's options."""
        return functional.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class CrossEntropyLoss(Module):
    r"""Cross-entropy of logits and class indices (or class probabilities):
    :math:`-\log \mathrm{softmax}(o)_y`; see :func:`~minitorch_lr.nn.functional.cross_entropy`.

    Args:
        weight: a weight per class, shape (C,), or ``None``. Kept as a buffer, so it is in
            ``state_dict()`` and moves with ``to()``, as in torch.
        ignore_index: class-index targets equal to it are left out of the loss and the mean.
        reduction: ``'mean'`` (default; divides by the summed weights of the counted
            targets), ``'sum'`` or ``'none'``.
        label_smoothing: in [0, 1]; the share of the target spread uniformly over classes.

    Shape:
        - Input: :math:`(N, C)`, :math:`(N, C, d_1, \dots, d_K)` or :math:`(C)`.
        - Target: class indices :math:`(N)`, :math:`(N, d_1, \dots, d_K)` or :math:`()`,
          int64; or probabilities of the input's shape.
        - Output: a scalar, or with ``'none'`` the target's shape without C.

    Example::

        >>> import torch
        >>> from minitorch_lr import nn
        >>> loss = nn.CrossEntropyLoss()
        >>> loss(torch.zeros(2, 4), torch.tensor([0, 3]))  # uniform over 4 classes: log 4
        tensor(1.3863)
    """

    def __init__(self, weight=None, *, ignore_index=-100, reduction="mean", label_smoothing=0.0):
        super().__init__()
        self.register_buffer("weight", weight)
        self.ignore_index = ignore_index
        self.reduction = reduction
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        """The loss of ``input`` against ``target`` with this module's options."""
        return functional.cross_entropy(
            input,
            target,
            weight=self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )
