"""A learner's Linear with a wrong initial bound: kaiming_uniform_ with its default a=0
draws from U(-sqrt(6 / D), sqrt(6 / D)); torch's Linear passes a=sqrt(5)."""

import math

import torch

from minitorch_lr import nn
from minitorch_lr.nn import init


class Linear(nn.Module):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(out_features, in_features))
        self.bias = nn.Parameter(torch.empty(out_features)) if bias else None
        init.kaiming_uniform_(self.weight)
        if self.bias is not None:
            bound = 1 / math.sqrt(in_features)
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        y = x @ self.weight.T
        return y if self.bias is None else y + self.bias
