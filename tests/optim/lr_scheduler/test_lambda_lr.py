"""LambdaLR: the starting rate times the factor of the epoch; errors and state dicts as
torch's."""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr.optim.lr_scheduler import LambdaLR
from minitorch_lr.testing import assert_same_error
from minitorch_lr.testing.lr_scheduler_strategies import (
    Power,
    Warmup,
    group_lrs,
    inverse_time,
    lambda_lr_settings,
)
from tests.optim.lr_scheduler.twins import build, make_optimizer, run_epochs


@given(data=st.data(), lrs=group_lrs, epochs=st.integers(0, 30))
def test_each_rate_is_the_starting_rate_times_the_factor_of_the_epoch(data, lrs, epochs):
    _, kwargs = settings = data.draw(lambda_lr_settings(len(lrs)))
    factors = kwargs["lr_lambda"]
    if not isinstance(factors, list):
        factors = [factors] * len(lrs)
    seen = run_epochs(*build("minitorch_lr", lrs, settings), epochs)
    for epoch, (last_epoch, last_lr, group_rates) in enumerate(seen):
        expected = [lr * factor(epoch) for lr, factor in zip(lrs, factors)]
        assert last_epoch == epoch and last_lr == group_rates == expected


@pytest.mark.parametrize("num_factors", [1, 3])
def test_a_list_of_factors_of_the_wrong_length_is_torchs_value_error_before_any_change(
    num_factors,
):
    ours = make_optimizer(torch.optim.SGD, [0.1, 0.2])
    theirs = make_optimizer(torch.optim.SGD, [0.1, 0.2])
    factors = [inverse_time] * num_factors
    assert_same_error(
        lambda: LambdaLR(ours, factors),
        lambda: torch.optim.lr_scheduler.LambdaLR(theirs, factors),
        match=f"Expected 2 lr_lambdas, but got {num_factors}",
    )
    assert all("initial_lr" not in group for group in ours.param_groups)


def test_state_dict_saves_callable_objects_attributes_and_functions_as_none_like_torchs():
    factors = [Power(0.9), inverse_time, Warmup(3)]
    ours, _ = build("minitorch_lr", [0.1, 0.2, 0.3], ("LambdaLR", {"lr_lambda": factors}))
    theirs, _ = build("torch", [0.1, 0.2, 0.3], ("LambdaLR", {"lr_lambda": factors}))
    saved = LambdaLR(ours, factors).state_dict()["lr_lambdas"]
    assert saved == [{"base": 0.9}, None, {"epochs": 3}]
    assert saved == torch.optim.lr_scheduler.LambdaLR(theirs, factors).state_dict()["lr_lambdas"]


def test_loading_puts_the_saved_attributes_back_into_our_factors():
    optimizer, scheduler = build("minitorch_lr", [1.0], ("LambdaLR", {"lr_lambda": Power(0.5)}))
    run_epochs(optimizer, scheduler, 2)
    state = scheduler.state_dict()
    fresh_optimizer, fresh = build("minitorch_lr", [1.0], ("LambdaLR", {"lr_lambda": Power(0.9)}))
    fresh.load_state_dict(state)
    assert fresh.lr_lambdas[0] == Power(0.5) and fresh.last_epoch == 2
    assert "lr_lambdas" in state  # loading leaves the dict it was given as it was
    fresh_optimizer.step()
    fresh.step()
    assert fresh.get_last_lr() == [0.125]


def test_loading_a_state_dict_with_another_number_of_factors_is_a_value_error_before_any_change():
    """torch's LambdaLR would fail part way (an IndexError) or ignore the extra entries."""
    _, scheduler = build("minitorch_lr", [1.0], ("LambdaLR", {"lr_lambda": Power(0.5)}))
    state = {**scheduler.state_dict(), "last_epoch": 7, "lr_lambdas": [None, None]}
    with pytest.raises(ValueError, match="2 lr_lambdas, against 1 here"):
        scheduler.load_state_dict(state)
    assert scheduler.last_epoch == 0
