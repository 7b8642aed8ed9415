"""Layers, losses and their building blocks, over raw torch tensors.

The names mirror ``torch.nn``: code written for torch.nn runs on this package after
changing ``from torch import nn`` to ``from minitorch_lr import nn``.
"""

from . import functional, init
from .container import Sequential
from .flatten import Flatten
from .linear import Linear
from .loss import CrossEntropyLoss, HuberLoss, L1Loss, MSELoss
from .module import Module
from .parameter import Parameter

__all__ = [
    "CrossEntropyLoss",
    "Flatten",
    "HuberLoss",
    "L1Loss",
    "Linear",
    "MSELoss",
    "Module",
    "Parameter",
    "Sequential",
    "functional",
    "init",
]
