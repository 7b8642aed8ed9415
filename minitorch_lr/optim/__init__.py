"""Optimizers over raw tensors and their param groups. Mirrors ``torch.optim``.

``Optimizer`` keeps parameter groups, per-tensor state and torch's state-dict layout;
``SGD`` is the chapter's minibatch stochastic gradient descent with torch's options;
``lr_scheduler`` changes an optimizer's learning rates from epoch to epoch.
The package sees tensors and param groups only: it works the same on a minitorch_lr
model, a torch.nn model or bare tensors.
"""

from . import lr_scheduler
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["SGD", "Optimizer", "lr_scheduler"]
