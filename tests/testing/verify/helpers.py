"""Running one property of a target on a piece written in a test, and a Linear to break."""

import math

import torch

from minitorch_lr.testing.verify.properties import run_property
from minitorch_lr.testing.verify.targets import properties_for

__all__ = ["Layer", "broken", "result_of"]


def result_of(piece, target, name_start):
    """The result of the one property of ``target`` whose name starts with ``name_start``."""
    [check] = [check for check in properties_for(target) if check.name.startswith(name_start)]
    return run_property(piece, check)


class Layer:
    """A right Linear, with hooks for one mistake each: ``init`` fills the weight and
    bias, ``__call__`` computes the output."""

    def __init__(self, in_features, out_features, bias=True, dtype=None):
        self.weight = torch.empty(out_features, in_features, dtype=dtype, requires_grad=True)
        self.bias = torch.empty(out_features, dtype=dtype, requires_grad=True) if bias else None
        with torch.no_grad():
            self.init(in_features, out_features)

    def init(self, in_features, out_features):
        bound = 1 / math.sqrt(in_features)
        self.weight.uniform_(-bound, bound)
        if self.bias is not None:
            self.bias.uniform_(-bound, bound)

    def __call__(self, x):
        y = x @ self.weight.T
        return y if self.bias is None else y + self.bias


def broken(**methods):
    """A :class:`Layer` named Linear with ``methods`` replaced."""
    return type("Linear", (Layer,), methods)
