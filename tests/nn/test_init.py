"""init functions against torch.nn.init: same seed (or generator), same values."""

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr.nn import init
from minitorch_lr.testing import assert_same_error
from minitorch_lr.testing.strategies import seeds, shapes

weight_shapes = shapes(min_dims=2, max_dims=4, min_side=1)


def draw_both(seed, ours, theirs, shape, dtype=torch.float64):
    """Run an init in each library on fresh tensors after the same global seed."""
    torch.manual_seed(seed)
    mine = ours(torch.empty(shape, dtype=dtype))
    torch.manual_seed(seed)
    reference = theirs(torch.empty(shape, dtype=dtype))
    return mine, reference


@given(seed=seeds, shape=shapes(min_side=1), low=st.floats(-3, 0), width=st.floats(0, 3))
def test_uniform_matches_torch_bit_for_bit(seed, shape, low, width):
    mine, reference = draw_both(
        seed,
        lambda t: init.uniform_(t, low, low + width),
        lambda t: torch.nn.init.uniform_(t, low, low + width),
        shape,
    )
    torch.testing.assert_close(mine, reference, rtol=0, atol=0)


@given(seed=seeds, shape=shapes(min_side=1), mean=st.floats(-3, 3), std=st.floats(0, 3))
def test_normal_matches_torch_bit_for_bit(seed, shape, mean, std):
    mine, reference = draw_both(
        seed,
        lambda t: init.normal_(t, mean, std),
        lambda t: torch.nn.init.normal_(t, mean, std),
        shape,
    )
    torch.testing.assert_close(mine, reference, rtol=0, atol=0)


@given(
    seed=seeds,
    shape=weight_shapes,
    a=st.sampled_from([0, 0.01, math.sqrt(5), 2.5]),
    mode=st.sampled_from(["fan_in", "fan_out"]),
    nonlinearity=st.sampled_from(["leaky_relu", "relu", "linear", "tanh", "sigmoid"]),
    dtype=st.sampled_from([torch.float32, torch.float64]),
)
def test_kaiming_uniform_matches_torch_bit_for_bit(seed, shape, a, mode, nonlinearity, dtype):
    mine, reference = draw_both(
        seed,
        lambda t: init.kaiming_uniform_(t, a, mode, nonlinearity),
        lambda t: torch.nn.init.kaiming_uniform_(t, a, mode, nonlinearity),
        shape,
        dtype,
    )
    torch.testing.assert_close(mine, reference, rtol=0, atol=0)


@given(seed=seeds, shape=weight_shapes)
def test_explicit_generator_gives_torchs_draws_and_leaves_global_rng_alone(seed, shape):
    state = torch.get_rng_state()
    mine = init.kaiming_uniform_(
        torch.empty(shape), math.sqrt(5), generator=torch.Generator().manual_seed(seed)
    )
    reference = torch.nn.init.kaiming_uniform_(
        torch.empty(shape), math.sqrt(5), generator=torch.Generator().manual_seed(seed)
    )
    torch.testing.assert_close(mine, reference, rtol=0, atol=0)
    assert torch.equal(torch.get_rng_state(), state)


@given(shape=shapes())
def test_zeros_fills_with_zeros_and_returns_the_tensor(shape):
    tensor = torch.randn(shape)
    assert init.zeros_(tensor) is tensor
    assert torch.equal(tensor, torch.zeros(shape))


def test_init_does_not_record_a_graph_on_a_parameter():
    weight = torch.empty(3, 2, requires_grad=True)
    init.kaiming_uniform_(weight)
    init.normal_(weight)
    assert weight.grad_fn is None and weight.is_leaf


@pytest.mark.parametrize(
    ("nonlinearity", "param"),
    [
        ("linear", None),
        ("sigmoid", None),
        ("tanh", None),
        ("relu", None),
        ("leaky_relu", None),
        ("leaky_relu", 0.2),
    ],
)
def test_calculate_gain_matches_torch(nonlinearity, param):
    assert init.calculate_gain(nonlinearity, param) == torch.nn.init.calculate_gain(
        nonlinearity, param
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.kaiming_uniform_(torch.empty(3)),
        lambda lib: lib.kaiming_uniform_(torch.empty(3, 2), mode="fan_avg"),
        lambda lib: lib.kaiming_uniform_(torch.empty(3, 2), nonlinearity="swish"),
        lambda lib: lib.calculate_gain("leaky_relu", "steep"),
    ],
    ids=["one-dim", "bad-mode", "bad-nonlinearity", "bad-slope"],
)
def test_bad_arguments_raise_torchs_error_type(call):
    assert_same_error(lambda: call(init), lambda: call(torch.nn.init))


def test_zero_element_tensor_warns_like_torch():
    with pytest.warns(UserWarning, match="zero-element"):
        init.kaiming_uniform_(torch.empty(0, 3))
