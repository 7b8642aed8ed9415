"""The math of the layers and losses as plain functions. Mirrors ``torch.nn.functional``.

The module classes (``Linear``, the losses) hold configuration and parameters; the
computation lives here, written with raw tensor operations so it can be read top to
bottom.
"""

import torch

__all__ = ["linear"]


def linear(input, weight, bias=None):
    r""":math:`y = x W^\top + b`.

    Shape:
        - input: :math:`(*, D)`; weight: :math:`(C, D)`; bias: :math:`(C,)` or ``None``.
        - output: :math:`(*, C)`.
    """
    if bias is not None and input.dim() == 2:
        # addmm computes bias + input @ weight.T in one kernel instead of two.
        return torch.addmm(bias, input, weight.t())
    output = input.matmul(weight.t())
    if bias is not None:
        output = output + bias
    return output
