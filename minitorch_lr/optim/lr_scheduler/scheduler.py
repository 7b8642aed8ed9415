r"""LRScheduler: what every learning-rate schedule shares.

Mirrors ``torch.optim.lr_scheduler.LRScheduler``.

A scheduler changes ``group['lr']`` of an optimizer's param groups, once per call of
:meth:`~LRScheduler.step`, usually once per epoch. It counts the calls in ``last_epoch``
and remembers each group's starting learning rate in ``base_lrs`` (and in the group itself,
as ``group['initial_lr']``, so that it is saved with the optimizer's state dict). A
subclass writes :meth:`~LRScheduler.get_lr`, the rates of the next epoch; the rest is here:

* **The initial step.** Building a scheduler steps it once: ``last_epoch`` goes from -1
  to 0 and each group gets the schedule's rate for epoch 0 (for most schedules, the rate
  it already had). So the first epoch trains at the schedule's first rate, and
  ``scheduler.step()`` comes *after* each epoch's ``optimizer.step()`` calls.
* **The order check.** Calling ``scheduler.step()`` before the first ``optimizer.step()``
  skips the first rate of the schedule, so it warns, as torch does. To see the
  optimizer's steps, the scheduler replaces ``step`` of that one optimizer object by a
  wrapper that notes each call.
* **Resuming.** ``last_epoch=k`` continues a schedule saved after epoch ``k``; it needs
  ``'initial_lr'`` in every group, as a loaded optimizer state dict has it.
* **The state dict**: every attribute but the optimizer, in torch's layout, so that a
  scheduler's state saved by one library loads into the other.

It works on any object with ``param_groups`` and ``step()``: minitorch_lr's optimizers and
torch's alike.

Left out: the deprecated ``step(epoch)`` and the closed forms that only it used (each
subclass writes its closed form in its docstring), the warning when ``get_lr()`` is
called outside ``step()``, and tensor-valued learning rates.
"""

import functools
import warnings
import weakref

import torch

__all__ = ["LRScheduler"]


class LRScheduler:
    r"""Base class for learning-rate schedulers: it steps; a subclass says the rates.

    Each :meth:`step` adds 1 to ``last_epoch`` and sets ``group['lr']`` of every param
    group to what :meth:`get_lr` returns for that epoch. Most schedules are written
    *recursively*, from the group's current rate :math:`\eta_{t-1}`:

    .. math::

        \eta_t = f_t(\eta_{t-1})

    (``StepLR``'s :math:`f_t` multiplies by :math:`\gamma` at a decay epoch), rather than
    from the starting rate :math:`\eta_0` in closed form. The two agree up to rounding,
    and the recursive form composes: a rate changed by hand, or by another scheduler,
    between steps is carried on from rather than overwritten. The subclasses compute
    exactly what torch computes, so the rates are torch's to the last bit.

    Args:
        optimizer: the optimizer whose ``param_groups`` to schedule (any object with
            ``param_groups`` and ``step()``).
        last_epoch: the index of the last epoch trained, ``-1`` for a new schedule.
            Resuming (``last_epoch >= 0``) needs ``'initial_lr'`` in every group.

    Attributes:
        optimizer: the optimizer it schedules.
        base_lrs: each group's starting rate, :math:`\eta_0`.
        last_epoch: how many times :meth:`step` ran since epoch 0.

    Building a scheduler writes the schedule's first rate into the groups. To resume
    from a checkpoint, build it first and load the optimizer's state dict after, or the
    loaded rates are overwritten.

    Example::

        >>> from minitorch_lr.optim import SGD
        >>> from minitorch_lr.optim.lr_scheduler import StepLR
        >>> weight = torch.zeros(2, requires_grad=True)
        >>> optimizer = SGD([weight], lr=0.1)
        >>> scheduler = StepLR(optimizer, step_size=2, gamma=0.5)
        >>> for epoch in range(4):
        ...     weight.sum().backward()  # train(...)
        ...     optimizer.step()
        ...     scheduler.step()
        ...     print(scheduler.get_last_lr())
        [0.1]
        [0.05]
        [0.05]
        [0.025]
    """

    def __init__(self, optimizer, last_epoch=-1):
        _check_optimizer(optimizer)
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            missing = [
                index
                for index, group in enumerate(optimizer.param_groups)
                if "initial_lr" not in group
            ]
            if missing:
                raise KeyError(
                    f"param 'initial_lr' is not specified in param_groups{missing} when "
                    f"resuming a scheduler with last_epoch={last_epoch}: load the "
                    "optimizer's state dict saved with the schedule first, or start a new "
                    "schedule with last_epoch=-1"
                )
        self.optimizer = optimizer
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        _note_optimizer_steps(optimizer)
        self._step_count = 0
        # Some schedules keep the rates as they are on the initial step (see get_lr).
        self._is_initial = True
        self.step()
        self._is_initial = False

    def get_lr(self):
        """The rate of each param group for epoch ``last_epoch``; :meth:`step` calls it.

        To read the rates in use, call :meth:`get_last_lr`.
        """
        raise NotImplementedError

    def step(self):
        """End an epoch: add 1 to ``last_epoch`` and set each group's ``'lr'`` to the
        schedule's next rate. Call it after the epoch's ``optimizer.step()`` calls."""
        if self._step_count == 1:
            self._warn_if_optimizer_not_stepped()
        self._step_count += 1
        self.last_epoch += 1
        rates = self.get_lr()
        for group, rate in zip(self.optimizer.param_groups, rates, strict=True):
            group["lr"] = rate
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self):
        """The rate of each param group set by the last :meth:`step` (or on construction)."""
        return self._last_lr

    def state_dict(self):
        """Every attribute but the optimizer: ``last_epoch``, ``base_lrs``, the schedule's
        own settings, and the step counters. Save the optimizer's state dict with it."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict):
        """Take every entry of ``state_dict`` (ours or torch's) as an attribute."""
        if not isinstance(state_dict, dict):
            raise TypeError(f"Expected state_dict to be a dict, got {type(state_dict)}.")
        self.__dict__.update(state_dict)

    def _warn_if_optimizer_not_stepped(self):
        # On the first step after construction: the optimizer's step() should have run.
        if not hasattr(self.optimizer.step, "_wrapped_by_lr_sched"):
            warnings.warn(
                "Seems like `optimizer.step()` has been overridden after learning rate "
                "scheduler initialization. Please, make sure to call `optimizer.step()` "
                "before `lr_scheduler.step()`.",
                UserWarning,
                stacklevel=3,
            )
        elif not getattr(self.optimizer, "_opt_called", False):
            warnings.warn(
                "Detected call of `lr_scheduler.step()` before `optimizer.step()`. "
                "You should call them in the opposite order: `optimizer.step()` before "
                "`lr_scheduler.step()`. Failure to do this will result in skipping the "
                "first value of the learning rate schedule.",
                UserWarning,
                stacklevel=3,
            )


def _check_positive_int(value, name):
    """A period in epochs (StepLR's ``step_size``, CosineAnnealingLR's ``T_max``) is an
    int of at least 1. torch accepts any number, and 0 fails at the first step."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def _check_optimizer(optimizer):
    """Refuse what is not an optimizer, before anything is written into it."""
    if not hasattr(optimizer, "param_groups") or not callable(getattr(optimizer, "step", None)):
        raise TypeError(
            f"{type(optimizer).__name__} is not an Optimizer: a scheduler needs an object "
            "with param_groups and step()"
        )
    for index, group in enumerate(optimizer.param_groups):
        if isinstance(group["lr"], torch.Tensor):
            raise TypeError(
                f"param_groups[{index}]['lr'] is a tensor: this scheduler sets Python "
                "numbers only"
            )


def _note_optimizer_steps(optimizer):
    """Replace ``optimizer.step`` by a wrapper that sets ``optimizer._opt_called``.

    The attribute names are torch's, so that torch's schedulers and ours see each
    other's wrapper and an optimizer is wrapped once. The wrapper holds the optimizer
    through a weak reference: the optimizer holds the wrapper, and a strong reference
    back would keep both alive until the garbage collector finds the cycle.
    """
    if hasattr(optimizer.step, "_wrapped_by_lr_sched"):
        return
    step = optimizer.step.__func__  # the class's function, not bound to the optimizer
    optimizer_ref = weakref.ref(optimizer)

    @functools.wraps(step)
    def step_and_note(*args, **kwargs):
        stepped = optimizer_ref()
        stepped._opt_called = True
        return step(stepped, *args, **kwargs)

    step_and_note._wrapped_by_lr_sched = True
    optimizer.step = step_and_note
