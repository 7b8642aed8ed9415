"""Layers, losses and their building blocks, over raw torch tensors.

The names mirror ``torch.nn``: code written for torch.nn runs on this package after
changing ``from torch import nn`` to ``from minitorch_lr import nn``.
"""

from . import functional, init
from .container import Sequential
from .flatten import Flatten
from .linear import LazyLinear, Linear
from .loss import CrossEntropyLoss, HuberLoss, L1Loss, MSELoss, SmoothL1Loss
from .module import Module
from .parameter import Parameter, UninitializedParameter

__all__ = [
    "CrossEntropyLoss",
    "Flatten",
    "HuberLoss",
    "L1Loss",
    "LazyLinear",
    "Linear",
    "MSELoss",
    "Module",
    "Parameter",
    "Sequential",
    "SmoothL1Loss",
    "UninitializedParameter",
    "functional",
    "init",
]
