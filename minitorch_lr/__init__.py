"""minitorch_lr: chapter 3 of Dive into Deep Learning, rebuilt over raw torch tensors.

The parts, in reading order, each one folder or file:

- ``scratch``: the chapter's from-scratch functions, naive on purpose;
- ``nn``: Parameter, Module, Sequential, Linear, Flatten, the losses, ``functional``, ``init``;
- ``optim``: Optimizer and SGD;
- ``data``: minibatches cut from tensors where they live, and Fashion-MNIST;
- ``train``: the training loop, accuracy and predictions (and, for a GPU, an epoch
  recorded as one CUDA graph);
- ``plot``: live training curves and image grids;
- ``chapter``: the chapter's two programs, linear and softmax regression, as functions;
- ``testing``: the assertions and Hypothesis strategies that check a piece against torch.

The ``minitorch-lr`` command (``cli``) runs the chapter's programs; ``tools`` holds what
the command needs off the learner's path (the benchmark report). Each part is loaded on
first use, as ``torch.optim`` is after ``import torch``: ``import minitorch_lr as mt``
costs nothing until ``mt.nn`` or ``mt.optim`` is touched, and never loads matplotlib.
"""

import importlib

__all__ = ["chapter", "data", "nn", "optim", "plot", "scratch", "testing", "train"]
__version__ = "0.1.0"


def __getattr__(name):
    # Called only for names not yet in the module: import the part, which then stays.
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *__all__])
