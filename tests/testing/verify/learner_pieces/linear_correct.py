"""A learner's Linear, right: a Module built from Parameter and init, as the chapter's
exercise asks (it wraps no torch.nn.Linear)."""

import math

import torch

from minitorch_lr import nn
from minitorch_lr.nn import init


class Linear(nn.Module):
    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        shape = (out_features, in_features)
        self.weight = nn.Parameter(torch.empty(shape, device=device, dtype=dtype))
        if bias:
            self.bias = nn.Parameter(torch.empty(out_features, device=device, dtype=dtype))
        else:
            self.bias = None
        bound = 1 / math.sqrt(in_features)
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        y = x @ self.weight.T
        return y if self.bias is None else y + self.bias
