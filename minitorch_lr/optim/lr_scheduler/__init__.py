"""Learning-rate schedules: ``minitorch_lr.optim.lr_scheduler``.

Mirrors ``torch.optim.lr_scheduler``.

A scheduler changes the learning rates of an optimizer's param groups once per epoch.
Read in this order:

- ``scheduler.py``: :class:`LRScheduler`, what every schedule shares: the step built in
  at construction, ``last_epoch``, ``get_last_lr``, the check that the optimizer stepped
  first, and the state dict;
- ``lambda_lr.py``: :class:`LambdaLR`, the starting rate times a function of the epoch;
- ``step.py``: :class:`StepLR` and :class:`MultiStepLR`, decay at chosen epochs;
- ``exponential.py``: :class:`ExponentialLR`, decay every epoch;
- ``cosine.py``: :class:`CosineAnnealingLR`, half a cosine down to a floor.

torch's ``lr_scheduler`` accepts only a ``torch.optim.Optimizer``; these accept any
object with ``param_groups`` and ``step()``, so they schedule minitorch_lr's SGD and
torch's alike, and give torch's rates to the last bit.

Left out: torch's other schedules (``MultiplicativeLR``, ``ConstantLR``, ``LinearLR``,
``PolynomialLR``, ``CyclicLR``, ``OneCycleLR``, ``CosineAnnealingWarmRestarts``,
``ReduceLROnPlateau``) and the combinators ``SequentialLR`` and ``ChainedScheduler``.
"""

from .cosine import CosineAnnealingLR
from .exponential import ExponentialLR
from .lambda_lr import LambdaLR
from .scheduler import LRScheduler
from .step import MultiStepLR, StepLR

__all__ = [
    "CosineAnnealingLR",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "MultiStepLR",
    "StepLR",
]
