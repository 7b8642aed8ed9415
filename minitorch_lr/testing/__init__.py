"""Check a piece against its torch twin: assertions and Hypothesis strategies.

The project's own tests are written with these, and so can anyone's: a learner who
writes a ``Linear`` or a cross-entropy of their own compares it with torch's using the
same tools (``minitorch-lr verify`` runs them for you).

- ``assertions.py``: :func:`assert_same_forward_backward` (values and the gradients of
  every input and parameter), :func:`assert_same_error`;
- ``goodness_of_fit.py`` and ``init_checks.py``: the Kolmogorov-Smirnov test, and
  :func:`assert_uniform_draws` for an initialisation; whether the same seed gives torch's
  bits, as information;
- ``optim_trajectories.py``: :func:`assert_same_trajectory`, N steps of two optimizers
  from the same start, equal after every step;
- ``strategies.py``: tensors, shapes, module trees (built with the ``nn`` you pass);
- ``loss_strategies.py``: regression pairs, logits and targets for cross-entropy;
- ``optim_strategies.py``: SGD hyperparameters, param groups, trajectories;
- ``verify/``: the engine of ``minitorch-lr verify``, which runs these checks on a
  learner's piece and explains a failure.

Nothing here imports ``minitorch_lr.nn`` or ``torch.nn`` when loaded: the ``nn`` to build
with is an argument, so the tools work the same for ours, torch's or a learner's.
Hypothesis is a dependency of the package, so these work wherever minitorch_lr is
installed.
"""

from . import loss_strategies, optim_strategies, strategies
from .assertions import (
    Difference,
    assert_same_error,
    assert_same_forward_backward,
    forward_backward_difference,
    upstream_gradient,
)
from .goodness_of_fit import kolmogorov_smirnov
from .init_checks import assert_uniform_draws, same_seed_same_bits
from .optim_trajectories import assert_same_trajectory

__all__ = [
    "Difference",
    "assert_same_error",
    "assert_same_forward_backward",
    "assert_same_trajectory",
    "assert_uniform_draws",
    "forward_backward_difference",
    "kolmogorov_smirnov",
    "loss_strategies",
    "optim_strategies",
    "same_seed_same_bits",
    "strategies",
    "upstream_gradient",
]
