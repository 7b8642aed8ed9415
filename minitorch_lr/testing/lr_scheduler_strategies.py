"""Hypothesis strategies for learning-rate schedulers: their settings, and the rates of the
param groups they schedule.

A scheduler is drawn as ``(name, kwargs)``: the class name, the same in
``minitorch_lr.optim.lr_scheduler`` and ``torch.optim.lr_scheduler``, and the keyword
arguments to build it with, besides the optimizer. The tests build it from both libraries
with the same arguments. ``LambdaLR``'s factors are callable objects of this module (their
attributes are what a scheduler's state dict saves) or a plain function (which it saves as
``None``).

Left out: settings that torch accepts and then fails on (a period or ``T_max`` of 0).
"""

from dataclasses import dataclass

from hypothesis import strategies as st

__all__ = [
    "Power",
    "Warmup",
    "cosine_annealing_lr_settings",
    "exponential_lr_settings",
    "group_lrs",
    "inverse_time",
    "lambda_lr_settings",
    "multi_step_lr_settings",
    "scheduler_settings",
    "schedules",
    "step_lr_settings",
]

# Each group's starting rate; 0 included, since a group may be frozen.
group_lrs = st.lists(st.floats(0.0, 1.0), min_size=1, max_size=3)
# A decay factor; 0 and 1 (no decay) included.
gammas = st.floats(0.0, 1.0)


@dataclass
class Power:
    """The factor ``base ** epoch``: exponential decay written as a ``LambdaLR``."""

    base: float

    def __call__(self, epoch):
        return self.base**epoch


@dataclass
class Warmup:
    """The factor ``min(1, (epoch + 1) / epochs)``: a linear warm-up, then constant."""

    epochs: int

    def __call__(self, epoch):
        return min(1.0, (epoch + 1) / self.epochs)


def inverse_time(epoch):
    """The factor ``1 / (epoch + 1)``, as a plain function."""
    return 1 / (epoch + 1)


lr_lambdas = st.one_of(
    st.builds(Power, st.floats(0.5, 1.0)),
    st.builds(Warmup, st.integers(1, 5)),
    st.just(inverse_time),
)


@st.composite
def lambda_lr_settings(draw, num_groups):
    """``('LambdaLR', kwargs)``: one factor for every group, or a list of one per group."""
    if draw(st.booleans()):
        lr_lambda = draw(lr_lambdas)
    else:
        lr_lambda = draw(st.lists(lr_lambdas, min_size=num_groups, max_size=num_groups))
    return "LambdaLR", {"lr_lambda": lr_lambda}


def step_lr_settings():
    """``('StepLR', kwargs)``: a period of 1 to 6 epochs and a factor."""
    return st.fixed_dictionaries({"step_size": st.integers(1, 6), "gamma": gammas}).map(
        lambda kwargs: ("StepLR", kwargs)
    )


def multi_step_lr_settings():
    """``('MultiStepLR', kwargs)``: milestones in any order, some repeated, 0 included."""
    milestones = st.lists(st.integers(0, 15), max_size=5)
    return st.fixed_dictionaries({"milestones": milestones, "gamma": gammas}).map(
        lambda kwargs: ("MultiStepLR", kwargs)
    )


def exponential_lr_settings():
    """``('ExponentialLR', kwargs)``: a factor from 0.5 to 1."""
    return st.fixed_dictionaries({"gamma": st.floats(0.5, 1.0)}).map(
        lambda kwargs: ("ExponentialLR", kwargs)
    )


def cosine_annealing_lr_settings():
    """``('CosineAnnealingLR', kwargs)``: ``T_max`` of 1 to 12 epochs and a floor, which
    may lie above a group's starting rate (the cosine then climbs)."""
    return st.fixed_dictionaries(
        {"T_max": st.integers(1, 12), "eta_min": st.one_of(st.just(0.0), st.floats(0.0, 0.1))}
    ).map(lambda kwargs: ("CosineAnnealingLR", kwargs))


def scheduler_settings(num_groups):
    """``(name, kwargs)`` of any of the five schedulers, for ``num_groups`` param groups."""
    return st.one_of(
        lambda_lr_settings(num_groups),
        step_lr_settings(),
        multi_step_lr_settings(),
        exponential_lr_settings(),
        cosine_annealing_lr_settings(),
    )


@st.composite
def schedules(draw, num_groups=None):
    """``(lrs, (name, kwargs))``: the starting rate of each param group, then any
    scheduler for that many groups. ``num_groups`` fixes how many groups (default 1 to 3)."""
    if num_groups is None:
        lrs = draw(group_lrs)
    else:
        lrs = draw(st.lists(st.floats(0.0, 1.0), min_size=num_groups, max_size=num_groups))
    return lrs, draw(scheduler_settings(len(lrs)))
