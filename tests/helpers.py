"""What the tests share beyond minitorch_lr.testing: the device and dtype parameters,
building one module tree with both libraries from the same seed, and the chapter's plain
SGD as a learner writes it."""

import pytest
import torch

from minitorch_lr import nn
from minitorch_lr.testing.strategies import build_tree

__all__ = ["DEVICES", "DTYPES", "PlainSGD", "both_trees", "requires_cuda"]

requires_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")

# The cuda cases carry the `cuda` mark too, so that `pytest -m cuda` selects them.
DEVICES = [pytest.param("cpu"), pytest.param("cuda", marks=[pytest.mark.cuda, requires_cuda])]
DTYPES = [torch.float32, torch.float64]


def both_trees(spec, seed=0):
    """A ``module_trees`` spec built with minitorch_lr.nn and with torch.nn, each after
    ``torch.manual_seed(seed)``: ``(ours, theirs)`` with equal parameters."""
    torch.manual_seed(seed)
    ours = build_tree(spec, nn)
    torch.manual_seed(seed)
    theirs = build_tree(spec, torch.nn)
    return ours, theirs


class PlainSGD:
    """p <- p - lr * grad, as the chapter's sgd writes it, in the shape of an optimizer:
    ``zero_grad()`` takes no argument, and there is no option."""

    def __init__(self, params, lr):
        self.params, self.lr = list(params), lr

    def zero_grad(self):
        """Set every gradient to None."""
        for param in self.params:
            param.grad = None

    def step(self):
        """One step down the gradient."""
        with torch.no_grad():
            for param in self.params:
                param -= self.lr * param.grad
