"""One schedule built in both libraries: minitorch_lr's scheduler on minitorch_lr's SGD,
torch's on torch's, from the same param groups and settings; and what each shows epoch by
epoch."""

import torch

import minitorch_lr.optim.lr_scheduler
from minitorch_lr.optim import SGD

__all__ = ["LIBRARIES", "build", "build_twins", "make_optimizer", "run_epochs"]

LIBRARIES = {
    "minitorch_lr": (SGD, minitorch_lr.optim.lr_scheduler),
    "torch": (torch.optim.SGD, torch.optim.lr_scheduler),
}


def make_optimizer(optimizer_class, lrs, sgd_kwargs=None):
    """An SGD with one group of one tensor per starting rate in ``lrs``."""
    groups = [{"params": [torch.zeros(2, requires_grad=True)], "lr": lr} for lr in lrs]
    return optimizer_class(groups, **(sgd_kwargs or {}))


def build(library, lrs, settings, sgd_kwargs=None, **scheduler_options):
    """``(optimizer, scheduler)`` of ``library`` for a drawn ``(name, kwargs)``."""
    optimizer_class, module = LIBRARIES[library]
    optimizer = make_optimizer(optimizer_class, lrs, sgd_kwargs)
    name, kwargs = settings
    return optimizer, getattr(module, name)(optimizer, **kwargs, **scheduler_options)


def build_twins(lrs, settings, sgd_kwargs=None):
    """``[(our optimizer, our scheduler), (torch's optimizer, torch's scheduler)]``."""
    return [build(library, lrs, settings, sgd_kwargs) for library in LIBRARIES]


def snapshot(optimizer, scheduler):
    """What a schedule shows: ``last_epoch``, ``get_last_lr()`` and each group's rate."""
    return (
        scheduler.last_epoch,
        list(scheduler.get_last_lr()),
        [group["lr"] for group in optimizer.param_groups],
    )


def run_epochs(optimizer, scheduler, epochs):
    """The snapshot now and after each of ``epochs`` epochs (an optimizer step, then a
    scheduler step)."""
    seen = [snapshot(optimizer, scheduler)]
    for _ in range(epochs):
        optimizer.step()
        scheduler.step()
        seen.append(snapshot(optimizer, scheduler))
    return seen
