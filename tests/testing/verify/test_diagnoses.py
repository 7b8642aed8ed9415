"""The symptom checks: equality without raising, constant ratios and what they suggest,
counterfactuals, and NaN or inf where torch is finite."""

import math

import pytest
import torch

from minitorch_lr.testing.assertions import Difference, forward_backward_difference
from minitorch_lr.testing.verify.diagnoses import (
    agrees,
    constant_ratio,
    difference_ratio_cause,
    first_match,
    gradient_of,
    non_finite_only_in_yours,
    ratio_cause,
    reduction_candidates,
)

VALUES = torch.tensor([1.0, -2.0, 0.0, 4.0], dtype=torch.float64)


def test_agrees_compares_shape_values_and_nan_without_raising():
    assert agrees(VALUES, VALUES.clone())
    assert agrees(torch.tensor([math.nan]), torch.tensor([math.nan]))
    assert not agrees(VALUES, VALUES + 1e-3)
    assert not agrees(VALUES, VALUES[:2])
    assert not agrees(VALUES, None)


@pytest.mark.parametrize("ratio", [2.0, 0.5, -1.0, 7.0])
def test_constant_ratio_finds_c_in_ours_equals_c_times_theirs(ratio):
    assert constant_ratio(ratio * VALUES, VALUES) == pytest.approx(ratio)


def test_no_constant_ratio_for_other_differences():
    assert constant_ratio(VALUES + 1, VALUES) is None
    assert constant_ratio(VALUES, torch.zeros(4, dtype=torch.float64)) is None
    assert constant_ratio(VALUES * math.inf, VALUES) is None
    assert constant_ratio(VALUES[:2], VALUES) is None


@pytest.mark.parametrize(
    ("ratio", "count", "words"),
    [
        (2.0, None, "exactly twice torch's: a factor 2 too many"),
        (0.5, None, "exactly half torch's: a stray factor 1/2"),
        (-1.0, None, "opposite sign of torch's: a flipped sign"),
        (6.0, 6, "6 times torch's: a sum where torch takes the mean over the 6 elements"),
        (1 / 6, 6, "1/6 of torch's: divided by the 6 elements once too often"),
    ],
)
def test_ratio_cause_names_the_factor(ratio, count, words):
    assert words in ratio_cause(ratio, "the outputs", count)


def test_ratio_cause_says_nothing_for_other_ratios():
    assert ratio_cause(3.0, "the outputs") is None
    assert ratio_cause(None, "the outputs") is None


def test_a_gradient_ratio_says_the_values_were_right():
    gradients = Difference("the gradients of input 0", 2 * VALUES, VALUES, "")
    assert difference_ratio_cause(gradients).startswith("the values are right but the gradients")
    outputs = Difference("the outputs", 2 * VALUES, VALUES, "")
    assert difference_ratio_cause(outputs).startswith("the outputs are exactly twice")
    assert difference_ratio_cause(RuntimeError("raised")) is None


def test_first_match_passes_over_candidates_that_raise_or_differ():
    def raises():
        raise RuntimeError("cannot compute this one")

    candidates = [("raises", raises), ("other", lambda: VALUES + 1), ("same", lambda: VALUES)]
    assert first_match(VALUES, candidates) == "same"
    assert first_match(VALUES, candidates[:2]) is None


def test_non_finite_only_in_yours():
    finite = torch.tensor([1.0, 2.0])
    assert non_finite_only_in_yours(torch.tensor([1.0, math.inf]), finite)
    assert not non_finite_only_in_yours(finite, finite)
    assert not non_finite_only_in_yours(torch.tensor([math.nan]), torch.tensor([math.nan]))


def test_reduction_candidates_are_the_two_other_reductions():
    x = torch.tensor([1.0, 3.0])
    candidates = reduction_candidates(
        lambda options: torch.nn.functional.l1_loss(x, torch.zeros(2), **options),
        {"reduction": "sum"},
    )
    assert [cause.split(":")[0] for cause, _ in candidates] == [
        "the result is torch's with reduction='mean'",
        "the result is torch's with reduction='none'",
    ]
    assert first_match(torch.tensor(2.0), candidates).startswith(
        "the result is torch's with reduction='mean'"
    )


def test_gradient_of_sends_back_the_upstream_gradient_of_the_comparison():
    # Right values, twice the gradient: the gradient the comparison reports is the one
    # gradient_of finds for 2 sin(x).
    doubled = forward_backward_difference(
        lambda x: x.sin() + (x.sin() - x.sin().detach()), torch.sin, [VALUES]
    )
    assert doubled.what == "the gradients of input 0"
    torch.testing.assert_close(doubled.ours, gradient_of(lambda x: 2 * x.sin(), VALUES))
