r"""LambdaLR: the starting rate times a function of the epoch.

Mirrors ``torch.optim.lr_scheduler.LambdaLR``.

The one schedule written in closed form: each epoch's rate comes from the starting rate,
never from the current one, so a rate changed by hand is overwritten at the next step.

Left out: nothing of torch's class.
"""

import types

from .scheduler import LRScheduler

__all__ = ["LambdaLR"]


class LambdaLR(LRScheduler):
    r"""Set each group's rate to its starting rate times ``lr_lambda(epoch)``.

    .. math::

        \eta_t = \eta_0 \cdot \lambda(t)

    for epoch :math:`t = 0, 1, \dots` (:math:`t` is ``last_epoch``), so the rate of the
    first epoch is :math:`\eta_0 \lambda(0)`, set when the scheduler is built.

    Args:
        optimizer: the optimizer whose ``param_groups`` to schedule.
        lr_lambda: a function of the epoch (an int) returning the factor, or a list or
            tuple of such functions, one per param group.
        last_epoch: the index of the last epoch trained, ``-1`` for a new schedule.

    The state dict holds ``None`` in place of each factor that is a function (a
    ``def`` or a ``lambda``, which cannot be saved), and the attributes of each factor
    that is a callable object, which loading puts back.

    Example::

        >>> import torch
        >>> from minitorch_lr.optim import SGD
        >>> weight = torch.zeros(2, requires_grad=True)
        >>> optimizer = SGD([weight], lr=0.1)
        >>> scheduler = LambdaLR(optimizer, lambda epoch: 1 / (epoch + 1))
        >>> for epoch in range(3):
        ...     optimizer.step()  # after the epoch's backward passes
        ...     scheduler.step()
        >>> scheduler.get_last_lr()
        [0.025]
    """

    def __init__(self, optimizer, lr_lambda, last_epoch=-1):
        if isinstance(lr_lambda, (list, tuple)):
            if len(lr_lambda) != len(optimizer.param_groups):
                raise ValueError(
                    f"Expected {len(optimizer.param_groups)} lr_lambdas, but got "
                    f"{len(lr_lambda)}"
                )
            self.lr_lambdas = list(lr_lambda)
        else:
            self.lr_lambdas = [lr_lambda] * len(optimizer.param_groups)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        r""":math:`\eta_0 \lambda(t)` for each group, with its own factor."""
        return [
            base_lr * lr_lambda(self.last_epoch)
            for lr_lambda, base_lr in zip(self.lr_lambdas, self.base_lrs, strict=True)
        ]

    def state_dict(self):
        """As :meth:`LRScheduler.state_dict`, with ``'lr_lambdas'``: for each factor,
        ``None`` if it is a function, else a copy of its attributes."""
        state = {
            key: value
            for key, value in self.__dict__.items()
            if key not in ("optimizer", "lr_lambdas")
        }
        state["lr_lambdas"] = [
            None if isinstance(lr_lambda, types.FunctionType) else lr_lambda.__dict__.copy()
            for lr_lambda in self.lr_lambdas
        ]
        return state

    def load_state_dict(self, state_dict):
        """As :meth:`LRScheduler.load_state_dict`; the saved attributes of each callable
        factor go back into our factor at the same position."""
        if not isinstance(state_dict, dict):
            raise TypeError(f"Expected state_dict to be a dict, got {type(state_dict)}.")
        saved_lambdas = state_dict["lr_lambdas"]
        if len(saved_lambdas) != len(self.lr_lambdas):
            raise ValueError(
                f"loaded state dict has {len(saved_lambdas)} lr_lambdas, against "
                f"{len(self.lr_lambdas)} here"
            )
        super().load_state_dict(
            {key: value for key, value in state_dict.items() if key != "lr_lambdas"}
        )
        for lr_lambda, saved in zip(self.lr_lambdas, saved_lambdas):
            if saved is not None:
                lr_lambda.__dict__.update(saved)
