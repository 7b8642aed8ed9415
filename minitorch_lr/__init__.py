"""minitorch_lr: chapter 3 of Dive into Deep Learning, rebuilt over raw torch tensors.

Subpackages, in reading order: ``scratch`` (the chapter's from-scratch functions),
``nn`` (Parameter, Module, layers, losses), ``optim`` (SGD), ``data`` (minibatches and
Fashion-MNIST), ``train`` (the training loop) and ``plot``.
"""

from . import nn

__all__ = ["nn"]
__version__ = "0.1.0"
