r"""ExponentialLR: the rate falls by the same factor every epoch.

Mirrors ``torch.optim.lr_scheduler.ExponentialLR``.

Written recursively, as torch's is: each step multiplies the group's current rate by
``gamma``, so a rate changed by hand is carried on from.

Left out: nothing of torch's class but the closed form of the deprecated ``step(epoch)``,
given in the docstring.
"""

from .scheduler import LRScheduler

__all__ = ["ExponentialLR"]


class ExponentialLR(LRScheduler):
    r"""Multiply each group's rate by ``gamma`` every epoch.

    At epoch :math:`t \ge 1` (``last_epoch``), with factor :math:`\gamma`:

    .. math::

        \eta_t = \gamma \, \eta_{t-1}
        \qquad\text{so}\qquad
        \eta_t = \eta_0 \, \gamma^{t}
        \text{ when nothing else changes the rate.}

    The step made when the scheduler is built leaves the rates as they are, also when it
    resumes a schedule (``last_epoch >= 0``), whose rates were loaded with the
    optimizer's state.

    Args:
        optimizer: the optimizer whose ``param_groups`` to schedule.
        gamma: the factor :math:`\gamma`.
        last_epoch: the index of the last epoch trained, ``-1`` for a new schedule.

    Example::

        >>> import torch
        >>> from minitorch_lr.optim import SGD
        >>> optimizer = SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = ExponentialLR(optimizer, gamma=0.5)
        >>> rates = []
        >>> for epoch in range(4):
        ...     rates.append(scheduler.get_last_lr()[0])  # the epoch trains at this rate
        ...     optimizer.step()
        ...     scheduler.step()
        >>> rates
        [1.0, 0.5, 0.25, 0.125]
    """

    def __init__(self, optimizer, gamma, last_epoch=-1):
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        r"""Each group's current rate times :math:`\gamma`; unchanged on the initial step."""
        lrs = [group["lr"] for group in self.optimizer.param_groups]
        if self._is_initial:
            return lrs
        return [lr * self.gamma for lr in lrs]
