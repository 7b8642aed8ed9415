"""Linear: the affine layer y = x W^T + b. Mirrors ``torch.nn.Linear``.

This one layer *is* linear regression (``Linear(2, 1)``) and, followed by softmax,
softmax regression (``Linear(784, 10)``).

``LazyLinear(out_features)`` is the same layer with ``in_features`` read from its first
input: its weight and bias start as :class:`UninitializedParameter` placeholders, and the
first call *materializes* them in place (the same Python objects get storage and become
plain Parameters), draws them as ``Linear`` draws them, and turns the layer into a
``Linear``. Because the objects stay the same, an optimizer built before that first call
trains them. Until then a placeholder refuses to be used (torch's ``ValueError``), and
``weight.data`` is an empty plain tensor: an initialisation through it, such as d2l's
``net.weight.data.normal_(0, 0.01)``, changes nothing, and the first call draws the
values anew, as in torch.

Left out: the ``__constants__`` used by TorchScript, and torch's hooks for lazy modules
(here the first ``forward`` materializes the parameters itself).
"""

import math

import torch

from . import functional, init
from .module import Module
from .parameter import Parameter, UninitializedParameter, is_lazy

__all__ = ["LazyLinear", "Linear"]


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


class LazyLinear(Linear):
    r"""A :class:`Linear` whose ``in_features`` is read from its first input.

    Args:
        out_features: size of each output (C).
        bias: if ``False``, the layer learns no additive bias.
        device, dtype: where and how the parameters will be created.

    Shape:
        - Input: :math:`(*, D)`; D becomes ``in_features`` at the first call.
        - Output: :math:`(*, C)`.

    Attributes:
        weight, bias: :class:`UninitializedParameter` until the first call, then drawn as
            :class:`Linear` draws them, from :math:`U(-1/\sqrt{D}, 1/\sqrt{D})`.

    Example::

        >>> layer = LazyLinear(1)
        >>> layer(torch.ones(5, 2)).shape, type(layer).__name__, layer.in_features
        (torch.Size([5, 1]), 'Linear', 2)
    """

    def __init__(self, out_features, bias=True, device=None, dtype=None):
        # Module.__init__, not Linear's: there is nothing to draw yet.
        Module.__init__(self)
        self.in_features = 0
        self.out_features = out_features
        self.weight = UninitializedParameter(device=device, dtype=dtype)
        if bias:
            self.bias = UninitializedParameter(device=device, dtype=dtype)
        else:
            self.register_parameter("bias", None)

    def has_uninitialized_params(self):
        """Whether the weight or the bias is still a placeholder."""
        return any(is_lazy(param) for param in self._parameters.values())

    def initialize_parameters(self, input):
        """Set ``in_features`` from ``input``'s last dim; materialize and draw what is
        still a placeholder (a loaded state dict may have filled the parameters already)."""
        self.in_features = input.shape[-1]
        if not self.has_uninitialized_params():
            if self.weight.shape[-1] != self.in_features:
                raise AssertionError(
                    f"The in_features inferred from input: {self.in_features} is not equal "
                    f"to in_features from self.weight: {self.weight.shape[-1]}"
                )
            return
        with torch.no_grad():
            self.weight.materialize((self.out_features, self.in_features))
            if self.bias is not None:
                self.bias.materialize((self.out_features,))
            self.reset_parameters()

    def forward(self, input):
        """The first call materializes the parameters and makes this layer a ``Linear``."""
        self.initialize_parameters(input)
        self.__class__ = Linear
        return self.forward(input)
