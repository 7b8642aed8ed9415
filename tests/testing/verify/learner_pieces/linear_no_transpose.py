"""A learner's Linear that forgets the transpose: x @ W where torch computes x @ W.T."""

import math

import torch

from minitorch_lr import nn
from minitorch_lr.nn import init


class Linear(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(out_features, in_features))
        self.bias = nn.Parameter(torch.empty(out_features))
        bound = 1 / math.sqrt(in_features)
        init.uniform_(self.weight, -bound, bound)
        init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        return x @ self.weight + self.bias
