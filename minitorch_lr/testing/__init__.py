"""Check a piece against its torch twin: assertions and Hypothesis strategies.

The project's own tests are written with these, and so can anyone's: a learner who
writes a ``Linear`` or a cross-entropy of their own compares it with torch's using the
same tools (``minitorch-lr verify`` runs them for you).

- ``assertions.py``: :func:`assert_same_forward_backward`, :func:`assert_same_error`;
- ``strategies.py``: tensors, shapes, module trees (built with the ``nn`` you pass);
- ``loss_strategies.py``: regression pairs, logits and targets for cross-entropy;
- ``optim_strategies.py``: SGD hyperparameters, param groups, trajectories.

Nothing here imports ``minitorch_lr.nn`` or ``torch.nn`` when loaded: the ``nn`` to build
with is an argument, so the tools work the same for ours, torch's or a learner's.
Hypothesis is a dependency of the package, so these work wherever minitorch_lr is
installed.
"""

from . import loss_strategies, optim_strategies, strategies
from .assertions import assert_same_error, assert_same_forward_backward, upstream_gradient

__all__ = [
    "assert_same_error",
    "assert_same_forward_backward",
    "loss_strategies",
    "optim_strategies",
    "strategies",
    "upstream_gradient",
]
