r"""CosineAnnealingLR: the rate follows half a cosine down to a floor.

Mirrors ``torch.optim.lr_scheduler.CosineAnnealingLR``.

The schedule of SGDR (Loshchilov and Hutter, 2017) without its restarts: from the
starting rate :math:`\eta_0` down to :math:`\eta_{\min}` over :math:`T_{\max}` epochs,
slowly at first, fastest half way, slowly again at the end:

.. math::

    \eta_t = \eta_{\min} + \tfrac12 (\eta_0 - \eta_{\min})
             \left(1 + \cos\frac{\pi t}{T_{\max}}\right).

torch computes it recursively, each rate from the one before, and this file computes
the same recursion, operation for operation, so that the rates are torch's to the last
bit (the closed form above differs from them in the last bits).

Left out: the closed form as a code path (torch uses it only for the deprecated
``step(epoch)``), and a branch of torch's ``get_lr`` that only a call of ``get_lr()``
outside ``step()`` reaches.
"""

import math

from .scheduler import LRScheduler, _check_positive_int

__all__ = ["CosineAnnealingLR"]


class CosineAnnealingLR(LRScheduler):
    r"""Anneal each group's rate along a cosine from its starting rate to ``eta_min``.

    The closed form, with :math:`t` the epoch (``last_epoch``):

    .. math::

        \eta_t = \eta_{\min} + \tfrac12 (\eta_0 - \eta_{\min})
                 \left(1 + \cos\frac{\pi t}{T_{\max}}\right)

    is computed as torch does, recursively: the distance to :math:`\eta_{\min}` shrinks
    by the ratio of two consecutive values of :math:`1 + \cos`,

    .. math::

        \eta_t = \eta_{\min} + (\eta_{t-1} - \eta_{\min})
                 \frac{1 + \cos(\pi t / T_{\max})}{1 + \cos(\pi (t - 1) / T_{\max})}.

    That ratio is 0/0 where the cosine bottoms out, at :math:`t - 1 = T_{\max}` (and every
    :math:`2 T_{\max}` after): there the rate instead grows by the closed form's step
    out of the minimum,

    .. math::

        \eta_t = \eta_{t-1} + \tfrac12 (\eta_0 - \eta_{\min})
                 \left(1 - \cos\frac{\pi}{T_{\max}}\right).

    Past :math:`T_{\max}` the rate therefore climbs back along the cosine, to
    :math:`\eta_0` at :math:`2 T_{\max}`: step the scheduler :math:`T_{\max}` times, no
    more. The step made when the scheduler is built leaves the rates as they are.

    The recursion is what lets the schedule compose: a rate changed between steps is
    annealed on from where it is, in proportion.

    Args:
        optimizer: the optimizer whose ``param_groups`` to schedule.
        T_max: :math:`T_{\max}`, the number of epochs from :math:`\eta_0` to
            :math:`\eta_{\min}`: a positive int.
        eta_min: the floor :math:`\eta_{\min}`. Default: 0.
        last_epoch: the index of the last epoch trained, ``-1`` for a new schedule.

    Example::

        >>> import torch
        >>> from minitorch_lr.optim import SGD
        >>> optimizer = SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = CosineAnnealingLR(optimizer, T_max=4)
        >>> rates = []
        >>> for epoch in range(5):
        ...     rates.append(round(scheduler.get_last_lr()[0], 4))  # the epoch's rate
        ...     optimizer.step()
        ...     scheduler.step()
        >>> rates
        [1.0, 0.8536, 0.5, 0.1464, 0.0]
    """

    def __init__(self, optimizer, T_max, eta_min=0.0, last_epoch=-1):
        _check_positive_int(T_max, "T_max")
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        """Each group's next rate by the recursion above; unchanged on the initial step."""
        groups = self.optimizer.param_groups
        if self._is_initial:
            return [group["lr"] for group in groups]
        if (self.last_epoch - 1 - self.T_max) % (2 * self.T_max) == 0:
            # Out of the minimum, where the ratio below would be 0 / 0.
            return [
                group["lr"] + (base_lr - self.eta_min) * (1 - math.cos(math.pi / self.T_max)) / 2
                for base_lr, group in zip(self.base_lrs, groups, strict=True)
            ]
        # The factors and their order are torch's, so that the roundings are too.
        return [
            (1 + math.cos(math.pi * self.last_epoch / self.T_max))
            / (1 + math.cos(math.pi * (self.last_epoch - 1) / self.T_max))
            * (group["lr"] - self.eta_min)
            + self.eta_min
            for group in groups
        ]
