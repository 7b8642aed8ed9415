"""CosineAnnealingLR: torch's recursion, within rounding of the closed form over the
T_max epochs; out of the minimum and back up past T_max; T_max a positive int."""

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr.optim import SGD
from minitorch_lr.optim.lr_scheduler import CosineAnnealingLR
from minitorch_lr.testing.lr_scheduler_strategies import cosine_annealing_lr_settings, group_lrs
from tests.optim.lr_scheduler.twins import build, make_optimizer, run_epochs


def closed_form(lr, eta_min, T_max, epoch):
    return eta_min + (lr - eta_min) * (1 + math.cos(math.pi * epoch / T_max)) / 2


@given(lrs=group_lrs, settings=cosine_annealing_lr_settings(), periods=st.integers(1, 3))
def test_the_recursion_follows_the_closed_form_within_rounding_for_several_periods(
    lrs, settings, periods
):
    """Within torch.testing's float64 tolerance: each recursive step rounds, the closed
    form rounds once. Past T_max both climb back to the starting rate at 2 T_max."""
    _, kwargs = settings
    T_max, eta_min = kwargs["T_max"], kwargs["eta_min"]
    seen = run_epochs(*build("minitorch_lr", lrs, settings), 2 * T_max * periods)
    for epoch, (_, last_lr, _) in enumerate(seen):
        expected = [closed_form(lr, eta_min, T_max, epoch) for lr in lrs]
        torch.testing.assert_close(last_lr, expected)
    torch.testing.assert_close(seen[T_max][1], [eta_min] * len(lrs))
    torch.testing.assert_close(seen[2 * T_max][1], lrs)


def test_out_of_the_minimum_the_rate_grows_by_the_closed_forms_step():
    """At T_max + 1 the recursive ratio would be 0 / 0; torch adds the closed form's step
    instead. With eta_min = 0 and lr = 1: 0 + (1 - cos(pi / T_max)) / 2 exactly."""
    optimizer = SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    scheduler = CosineAnnealingLR(optimizer, T_max=4)
    seen = run_epochs(optimizer, scheduler, 5)
    assert seen[4][1] == [0.0]
    assert seen[5][1] == [(1 - math.cos(math.pi / 4)) / 2]


@pytest.mark.parametrize("T_max", [0, -3, 10.0, False])
def test_t_max_that_is_not_a_positive_int_is_a_value_error_before_any_change(T_max):
    """torch takes these: 0 fails at the first step (ZeroDivisionError), a negative T_max
    runs the cosine backwards, 10.0 works as 10."""
    optimizer = make_optimizer(SGD, [0.1])
    with pytest.raises(ValueError, match=f"T_max must be a positive integer, got {T_max}"):
        CosineAnnealingLR(optimizer, T_max=T_max)
    assert "initial_lr" not in optimizer.param_groups[0]
