"""The Kolmogorov-Smirnov test: its statistic by definition, its p-value against the
tabulated Kolmogorov distribution, how often it rejects true draws, and what it sees."""

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr.testing.goodness_of_fit import (
    kolmogorov_smirnov,
    kolmogorov_survival,
    uniform_cdf,
)
from minitorch_lr.testing.strategies import make_tensor, seeds

UNIT = uniform_cdf(0.0, 1.0)


@pytest.mark.parametrize(
    ("lam", "p_value"),
    # The asymptotic critical values of the Kolmogorov distribution, as tabulated to
    # four decimals (Smirnov 1948): P(K > lam) = p_value; and below the switch between
    # the two series, its CDF at 1 and 0.5, 0.7300 and 0.0361.
    [
        (1.2238, 0.10),
        (1.3581, 0.05),
        (1.6276, 0.01),
        (1.9495, 0.001),
        (1.0, 0.2700),
        (0.5, 0.9639),
    ],
)
def test_survival_gives_the_tabulated_critical_values(lam, p_value):
    # Four decimals of lam move Q by at most about 2e-4 relative here.
    assert kolmogorov_survival(lam) == pytest.approx(p_value, rel=1e-3)


def test_the_two_series_agree_where_one_takes_over_from_the_other():
    assert kolmogorov_survival(1.18 - 1e-12) == pytest.approx(kolmogorov_survival(1.18), rel=1e-9)
    grid = [step / 100 for step in range(1, 400)]
    values = [kolmogorov_survival(lam) for lam in grid]
    assert all(later <= earlier for earlier, later in zip(values, values[1:]))
    assert kolmogorov_survival(0.0) == 1.0 and kolmogorov_survival(10.0) < 1e-80


def test_statistic_of_three_draws_by_hand():
    # F_n jumps to 1/3 at 0.1: the gap just after it is 1/3 - 0.1; just before 0.9 it is
    # 0.9 - 2/3. Both are 7/30, the largest of the six one-sided gaps.
    result = kolmogorov_smirnov(torch.tensor([0.9, 0.1, 0.5], dtype=torch.float64), UNIT)
    assert result.statistic == pytest.approx(7 / 30, abs=1e-15)
    assert result.count == 3


@given(seed=seeds, count=st.integers(1, 40), ties=st.booleans())
def test_statistic_equals_the_largest_gap_between_the_empirical_and_true_cdf(seed, count, ties):
    draws = make_tensor((count,), seed).sigmoid()
    if ties:
        draws = (draws * 4).round() / 4
    # By definition, counting: F_n jumps at each draw, so the supremum of |F_n - F| is
    # reached at a draw or just before it.
    at = torch.stack([(draws <= x).double().mean() for x in draws])
    before = torch.stack([(draws < x).double().mean() for x in draws])
    expected = torch.maximum((at - draws).abs(), (before - draws).abs()).max().item()
    assert kolmogorov_smirnov(draws, UNIT).statistic == pytest.approx(expected, abs=1e-12)


def test_true_uniform_draws_are_rejected_about_as_often_as_the_significance():
    generator = torch.Generator().manual_seed(0)
    p_values = torch.tensor(
        [
            kolmogorov_smirnov(
                torch.rand(200, generator=generator, dtype=torch.float64), UNIT
            ).p_value
            for _ in range(2000)
        ]
    )
    # 2000 trials: the rejection share at 5% has a standard error of 0.5%; the bounds
    # are four of those either side.
    assert 0.03 < (p_values < 0.05).double().mean() < 0.07
    assert (p_values < 0.01).double().mean() < 0.02


@pytest.mark.parametrize("scale", [0.98, 1.02])
def test_a_uniform_bound_two_percent_off_is_seen_in_120_000_draws(scale):
    bound = 1 / math.sqrt(400)
    generator = torch.Generator().manual_seed(0)
    draws = torch.empty(300, 400).uniform_(-bound * scale, bound * scale, generator=generator)
    assert kolmogorov_smirnov(draws, uniform_cdf(-bound, bound)).p_value < 1e-8
    assert kolmogorov_smirnov(draws, uniform_cdf(-bound * scale, bound * scale)).p_value > 1e-3


@pytest.mark.parametrize(
    ("draws", "message"),
    [(torch.empty(0), "at least one draw"), (torch.tensor([0.5, math.nan]), "NaN")],
)
def test_no_draws_or_nan_is_a_value_error(draws, message):
    with pytest.raises(ValueError, match=message):
        kolmogorov_smirnov(draws, UNIT)
