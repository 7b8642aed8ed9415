"""StepLR and MultiStepLR: torch's recursion, which stays within rounding of the closed
form when nothing else changes the rate; periods that are not positive ints refused."""

import bisect

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr.optim import SGD
from minitorch_lr.optim.lr_scheduler import MultiStepLR, StepLR
from minitorch_lr.testing.lr_scheduler_strategies import (
    group_lrs,
    multi_step_lr_settings,
    step_lr_settings,
)
from tests.optim.lr_scheduler.twins import build, make_optimizer, run_epochs


def assert_follows(seen, closed_form):
    """Each epoch's rates equal ``closed_form(epoch)`` within torch.testing's float64
    tolerance: the recursion multiplies by gamma once per decay, the closed form raises
    gamma to a power, and the two round differently."""
    for epoch, (_, last_lr, _) in enumerate(seen):
        torch.testing.assert_close(last_lr, closed_form(epoch))


@given(lrs=group_lrs, settings=step_lr_settings(), epochs=st.integers(0, 30))
def test_step_lr_decays_by_gamma_every_step_size_epochs(lrs, settings, epochs):
    _, kwargs = settings
    seen = run_epochs(*build("minitorch_lr", lrs, settings), epochs)
    assert_follows(
        seen,
        lambda t: [lr * kwargs["gamma"] ** (t // kwargs["step_size"]) for lr in lrs],
    )


@given(lrs=group_lrs, settings=multi_step_lr_settings(), epochs=st.integers(0, 30))
def test_multi_step_lr_decays_by_gamma_once_per_milestone_passed(lrs, settings, epochs):
    _, kwargs = settings
    milestones = sorted(kwargs["milestones"])
    seen = run_epochs(*build("minitorch_lr", lrs, settings), epochs)
    assert_follows(
        seen,
        lambda t: [lr * kwargs["gamma"] ** bisect.bisect_right(milestones, t) for lr in lrs],
    )


def test_a_milestone_listed_twice_decays_twice_and_milestone_0_decays_at_once():
    optimizer = SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    scheduler = MultiStepLR(optimizer, milestones=[2, 0, 2], gamma=0.5)
    assert [rates for _, rates, _ in run_epochs(optimizer, scheduler, 3)] == [
        [0.5],
        [0.5],
        [0.125],
        [0.125],
    ]


@pytest.mark.parametrize("step_size", [0, -2, 2.0, True])
def test_a_period_that_is_not_a_positive_int_is_a_value_error_before_any_change(step_size):
    """torch takes these: 0 fails at the first step (ZeroDivisionError), -2 decays at every
    even epoch, 2.0 works as 2 and True as 1."""
    optimizer = make_optimizer(SGD, [0.1])
    with pytest.raises(ValueError, match=f"step_size must be a positive integer, got {step_size}"):
        StepLR(optimizer, step_size=step_size)
    assert "initial_lr" not in optimizer.param_groups[0]
