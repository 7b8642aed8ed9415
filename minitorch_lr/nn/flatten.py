"""Flatten: merge a range of dims into one. Mirrors ``torch.nn.Flatten``.

With the defaults (``start_dim=1``), a batch of images (N, 1, 28, 28) becomes
(N, 784): one row per image, ready for ``Linear(784, 10)``.

Left out: nothing of torch's behaviour; the ``Unflatten`` inverse is not needed here.
"""

import math
import operator

from .module import Module

__all__ = ["Flatten"]


def _as_dim(dim, name, position):
    """``dim`` as an int, refused as torch refuses it: a float, a bool, a string."""
    if not isinstance(dim, bool):
        try:
            # What torch takes for an int argument: ints, numpy ints, integer 0-d tensors.
            return operator.index(dim)
        except TypeError:
            pass
    raise TypeError(
        f"flatten(): argument '{name}' (position {position}) must be int, not {type(dim).__name__}"
    )


def _wrap_dim(dim, ndim):
    """Turn a possibly negative dim into an index; a 0-d tensor counts as 1-d, as in torch."""
    ndim = max(ndim, 1)
    if not -ndim <= dim < ndim:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], "
            f"but got {dim})"
        )
    return dim % ndim


class Flatten(Module):
    """Reshape dims ``start_dim`` .. ``end_dim`` (inclusive) into one dim.

    Shape:
        - Input: :math:`(*, S_{start}, ..., S_{end}, *)`.
        - Output: :math:`(*, \\prod_{i=start}^{end} S_i, *)`.

    The result is a view of the input when the memory layout allows it (``reshape``
    copies only when it must).

    Example::

        >>> import torch
        >>> Flatten()(torch.zeros(32, 1, 28, 28)).shape
        torch.Size([32, 784])
    """

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input):
        """Check and wrap the dims as torch does, then reshape."""
        start = _wrap_dim(_as_dim(self.start_dim, "start_dim", 1), input.dim())
        end = _wrap_dim(_as_dim(self.end_dim, "end_dim", 2), input.dim())
        if start > end:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        shape = list(input.shape) or [1]
        merged = math.prod(shape[start : end + 1])
        return input.reshape(shape[:start] + [merged] + shape[end + 1 :])

    def extra_repr(self):
        """The options as torch prints them."""
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"
