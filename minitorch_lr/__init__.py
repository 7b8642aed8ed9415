"""minitorch_lr: chapter 3 of Dive into Deep Learning, rebuilt over raw torch tensors.

Subpackages, in reading order: ``scratch`` (the chapter's from-scratch functions),
``nn`` (Parameter, Module, layers, losses), ``optim`` (SGD), ``data`` (minibatches and
Fashion-MNIST), ``train`` (the training loop) and ``plot``. Beyond the chapter:
``cuda_graph`` (a whole training epoch replayed as one CUDA graph), ``bench_report`` (the
benchmark report) and ``cli`` (the ``minitorch-lr`` command).
"""

from . import nn

__all__ = ["nn"]
__version__ = "0.1.0"
