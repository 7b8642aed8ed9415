"""Initialisation checks: torch's and our Linear draw from U(-1/sqrt(D), 1/sqrt(D)); a
wrong bound, a squeezed or a normal distribution is caught; bits are compared from the
same seed without touching the caller's random state."""

import math

import pytest
import torch

from minitorch_lr import nn
from minitorch_lr.testing.init_checks import assert_uniform_draws, same_seed_same_bits

IN_FEATURES, OUT_FEATURES = 400, 300
BOUND = 1 / math.sqrt(IN_FEATURES)


def draws(fill):
    generator = torch.Generator().manual_seed(0)
    return fill(torch.empty(OUT_FEATURES, IN_FEATURES), generator)


@pytest.mark.parametrize("library", [nn, torch.nn], ids=["ours", "torch"])
def test_linear_weight_and_bias_pass_in_both_libraries(library):
    torch.manual_seed(0)
    layer = library.Linear(IN_FEATURES, OUT_FEATURES)
    result = assert_uniform_draws(layer.weight, -BOUND, BOUND, "weight")
    assert result.count == IN_FEATURES * OUT_FEATURES
    assert_uniform_draws(layer.bias, -BOUND, BOUND, "bias")


def test_a_wider_bound_fails_on_the_bounds():
    # kaiming_uniform_ with its default a=0: bound sqrt(6 / D), not 1 / sqrt(D).
    wide = math.sqrt(6 / IN_FEATURES)
    weight = draws(lambda tensor, generator: tensor.uniform_(-wide, wide, generator=generator))
    with pytest.raises(AssertionError, match=r"weight range over \[-0.12\d*, 0.12\d*\], outside"):
        assert_uniform_draws(weight, -BOUND, BOUND, "weight")


@pytest.mark.parametrize(
    "fill",
    [
        lambda tensor, generator: tensor.uniform_(-0.9 * BOUND, 0.9 * BOUND, generator=generator),
        lambda tensor, generator: tensor.normal_(0, BOUND / 4, generator=generator).clamp_(
            -BOUND, BOUND
        ),
    ],
    ids=["narrower-bound", "normal-inside-the-bounds"],
)
def test_draws_inside_the_bounds_but_not_uniform_over_them_fail_the_ks_test(fill):
    with pytest.raises(AssertionError, match="not spread uniformly over it: Kolmogorov-Smirnov"):
        assert_uniform_draws(draws(fill), -BOUND, BOUND, "weight")


def test_values_that_are_not_finite_fail():
    with pytest.raises(AssertionError, match="not all finite"):
        assert_uniform_draws(torch.tensor([0.0, math.inf]), -1, 1)


class BiasFirstLinear:
    """A correct layer that draws its bias before its weight."""

    def __init__(self, in_features, out_features):
        self.bias = torch.empty(out_features).uniform_(-BOUND, BOUND)
        self.weight = torch.empty(out_features, in_features).uniform_(-BOUND, BOUND)


def test_same_seed_same_bits_reports_each_tensor():
    same = same_seed_same_bits(
        lambda: nn.Linear(4, 3), lambda: torch.nn.Linear(4, 3), ("weight", "bias"), seed=5
    )
    assert same == {"weight": True, "bias": True}
    same = same_seed_same_bits(
        lambda: BiasFirstLinear(4, 3), lambda: torch.nn.Linear(4, 3), ("weight", "bias")
    )
    assert same == {"weight": False, "bias": False}
    same = same_seed_same_bits(
        lambda: nn.Linear(4, 3, bias=False), lambda: torch.nn.Linear(4, 3), ("bias",)
    )
    assert same == {"bias": False}


def test_same_seed_same_bits_leaves_the_global_generator_as_it_was():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    same_seed_same_bits(lambda: nn.Linear(4, 3), lambda: torch.nn.Linear(4, 3), ("weight",))
    assert torch.equal(torch.rand(3), expected)
