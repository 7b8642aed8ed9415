"""Linear: the affine layer y = x W^T + b. Mirrors ``torch.nn.Linear``.

This one layer *is* linear regression (``Linear(2, 1)``) and, followed by softmax,
softmax regression (``Linear(784, 10)``).

Left out: lazy in_features (``LazyLinear``) and the ``__constants__`` used by TorchScript.
"""

import math

import torch

from . import functional, init
from .module import Module
from .parameter import Parameter

__all__ = ["Linear"]


class Linear(Module):
    r"""Applies :math:`y = x W^\top + b`.

    Args:
        in_features: size of each input example (D).
        out_features: size of each output (for classification, C).
        bias: if ``False``, the layer learns no additive bias.
        device, dtype: where and how the parameters are created.

    Shape:
        - Input: :math:`(*, D)`, any number of leading dims (none for one example).
        - Output: :math:`(*, C)`.

    Attributes:
        weight: shape (C, D), drawn from :math:`U(-1/\sqrt{D}, 1/\sqrt{D})`.
        bias: shape (C,), drawn from the same distribution, or ``None``.

    Example::

        >>> layer = Linear(2, 1)
        >>> layer(torch.ones(5, 2)).shape
        torch.Size([5, 1])
    """

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(
            torch.empty((out_features, in_features), device=device, dtype=dtype)
        )
        if bias:
            self.bias = Parameter(torch.empty(out_features, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        """Redraw weight, then bias, from torch's generator in torch's order.

        kaiming_uniform_ with a = sqrt(5) has gain sqrt(2 / (1 + 5)) = 1/sqrt(3), so its
        bound gain * sqrt(3 / D) is exactly 1/sqrt(D): each output sums D inputs, and
        this bound keeps its variance near that of one input. Calling it (instead of
        writing 1/sqrt(D)) computes the bound with torch's floating-point steps, which is
        what makes the same seed give bit-identical weights.
        """
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.weight.shape[1]
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input):
        """``input @ weight.T + bias``, see :func:`~minitorch_lr.nn.functional.linear`."""
        return functional.linear(input, self.weight, self.bias)

    def extra_repr(self):
        """The options as torch prints them."""
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )
