r"""StepLR and MultiStepLR: the rate falls by a factor at chosen epochs. Mirror torch's.

``StepLR`` multiplies the rate by ``gamma`` every ``step_size`` epochs; ``MultiStepLR`` at
each epoch of a list of milestones. Both are written recursively, as torch's are: at a
decay epoch, the group's *current* rate is multiplied by ``gamma``, and at any other epoch
it is left as it is, so a rate changed by hand is carried on from.

Left out: nothing of torch's classes but the closed forms of the deprecated
``step(epoch)``, given in the docstrings.
"""

from collections import Counter

from .scheduler import LRScheduler, _check_positive_int

__all__ = ["MultiStepLR", "StepLR"]


class StepLR(LRScheduler):
    r"""Multiply each group's rate by ``gamma`` every ``step_size`` epochs.

    At epoch :math:`t` (``last_epoch``), with period :math:`s` and factor :math:`\gamma`:

    .. math::

        \eta_t = \begin{cases}
            \gamma \, \eta_{t-1} & \text{if } t > 0 \text{ and } s \text{ divides } t \\
            \eta_{t-1} & \text{otherwise}
        \end{cases}
        \qquad\text{so}\qquad
        \eta_t = \eta_0 \, \gamma^{\lfloor t / s \rfloor}
        \text{ when nothing else changes the rate.}

    Args:
        optimizer: the optimizer whose ``param_groups`` to schedule.
        step_size: the period :math:`s`, in epochs: a positive int.
        gamma: the factor :math:`\gamma`. Default: 0.1.
        last_epoch: the index of the last epoch trained, ``-1`` for a new schedule.

    Example::

        >>> import torch
        >>> from minitorch_lr.optim import SGD
        >>> optimizer = SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = StepLR(optimizer, step_size=2, gamma=0.5)
        >>> rates = []
        >>> for epoch in range(5):
        ...     rates.append(scheduler.get_last_lr()[0])  # the epoch trains at this rate
        ...     optimizer.step()
        ...     scheduler.step()
        >>> rates
        [1.0, 1.0, 0.5, 0.5, 0.25]
    """

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        _check_positive_int(step_size, "step_size")
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        r"""Each group's current rate, times :math:`\gamma` if ``last_epoch`` is a
        positive multiple of ``step_size``."""
        lrs = [group["lr"] for group in self.optimizer.param_groups]
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return lrs
        return [lr * self.gamma for lr in lrs]


class MultiStepLR(LRScheduler):
    r"""Multiply each group's rate by ``gamma`` at each epoch of ``milestones``.

    At epoch :math:`t` (``last_epoch``), with :math:`m_t` the number of times :math:`t`
    appears among the milestones:

    .. math::

        \eta_t = \gamma^{m_t} \, \eta_{t-1}
        \qquad\text{so}\qquad
        \eta_t = \eta_0 \, \gamma^{\#\{\text{milestones} \le t\}}
        \text{ when nothing else changes the rate}

    (torch computes that count with ``bisect_right`` on the sorted milestones). A
    milestone listed twice decays twice; milestones need not be sorted.

    Args:
        optimizer: the optimizer whose ``param_groups`` to schedule.
        milestones: epochs (ints) at which to decay.
        gamma: the factor :math:`\gamma`. Default: 0.1.
        last_epoch: the index of the last epoch trained, ``-1`` for a new schedule.

    Attributes:
        milestones: a ``collections.Counter`` of the epochs, as torch keeps them.

    Example::

        >>> import torch
        >>> from minitorch_lr.optim import SGD
        >>> optimizer = SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = MultiStepLR(optimizer, milestones=[1, 3, 3], gamma=0.5)
        >>> rates = []
        >>> for epoch in range(5):
        ...     rates.append(scheduler.get_last_lr()[0])  # the epoch trains at this rate
        ...     optimizer.step()
        ...     scheduler.step()
        >>> rates
        [1.0, 0.5, 0.5, 0.125, 0.125]
    """

    def __init__(self, optimizer, milestones, gamma=0.1, last_epoch=-1):
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        r"""Each group's current rate, times :math:`\gamma` once for every time
        ``last_epoch`` is among the milestones."""
        lrs = [group["lr"] for group in self.optimizer.param_groups]
        if self.last_epoch not in self.milestones:
            return lrs
        return [lr * self.gamma ** self.milestones[self.last_epoch] for lr in lrs]
