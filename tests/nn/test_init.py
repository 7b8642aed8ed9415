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


NONLINEARITIES = [
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "selu",
]


@pytest.mark.parametrize(
    ("nonlinearity", "param"),
    [(name, None) for name in NONLINEARITIES] + [("leaky_relu", 0.2), ("leaky_relu", 3)],
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
        lambda lib: lib.calculate_gain("leaky_relu", True),
        lambda lib: lib.calculate_gain("gelu"),
        lambda lib: lib.xavier_uniform_(torch.empty(4)),
        lambda lib: lib.xavier_normal_(torch.empty(4)),
        lambda lib: lib.kaiming_normal_(torch.empty(3, 2), mode="fan_avg"),
    ],
    ids=[
        "one-dim",
        "bad-mode",
        "bad-nonlinearity",
        "bad-slope",
        "bool-slope",
        "unknown-gain",
        "xavier-uniform-one-dim",
        "xavier-normal-one-dim",
        "kaiming-normal-bad-mode",
    ],
)
def test_bad_arguments_raise_torchs_error_type(call):
    assert_same_error(lambda: call(init), lambda: call(torch.nn.init))


@pytest.mark.parametrize("name", ["kaiming_uniform_", "kaiming_normal_"])
def test_zero_element_tensor_warns_like_torch(name):
    with pytest.warns(UserWarning, match="zero-element"):
        getattr(init, name)(torch.empty(0, 3))


# --- the schemes beyond the chapter: Xavier, Kaiming normal, constants ---------------------


@given(
    seed=seeds,
    shape=weight_shapes,
    gain=st.sampled_from([1.0, 0.5, math.sqrt(2.0), 5.0 / 3]),
    name=st.sampled_from(["xavier_uniform_", "xavier_normal_"]),
    dtype=st.sampled_from([torch.float32, torch.float64]),
    through_generator=st.booleans(),
)
def test_xavier_matches_torch_bit_for_bit(seed, shape, gain, name, dtype, through_generator):
    mine, reference = draw_both(
        seed,
        lambda t: getattr(init, name)(t, gain, generator=generator_for(seed, through_generator)),
        lambda t: getattr(torch.nn.init, name)(
            t, gain, generator=generator_for(seed, through_generator)
        ),
        shape,
        dtype,
    )
    torch.testing.assert_close(mine, reference, rtol=0, atol=0)


def generator_for(seed, through_generator):
    """A fresh generator of ``seed``, or None to draw from the global one."""
    return torch.Generator().manual_seed(seed) if through_generator else None


@given(
    seed=seeds,
    shape=weight_shapes,
    a=st.sampled_from([0, 0.01, math.sqrt(5), 2.5]),
    mode=st.sampled_from(["fan_in", "fan_out", "FAN_IN", "Fan_Out"]),
    nonlinearity=st.sampled_from(NONLINEARITIES),
    dtype=st.sampled_from([torch.float32, torch.float64]),
    through_generator=st.booleans(),
)
def test_kaiming_normal_matches_torch_bit_for_bit(
    seed, shape, a, mode, nonlinearity, dtype, through_generator
):
    mine, reference = draw_both(
        seed,
        lambda t: init.kaiming_normal_(
            t, a, mode, nonlinearity, generator=generator_for(seed, through_generator)
        ),
        lambda t: torch.nn.init.kaiming_normal_(
            t, a, mode, nonlinearity, generator=generator_for(seed, through_generator)
        ),
        shape,
        dtype,
    )
    torch.testing.assert_close(mine, reference, rtol=0, atol=0)


@given(seed=seeds, shape=weight_shapes, mode=st.sampled_from(["FAN_OUT", "Fan_In"]))
def test_kaiming_uniform_takes_the_mode_in_any_case_like_torch(seed, shape, mode):
    mine, reference = draw_both(
        seed,
        lambda t: init.kaiming_uniform_(t, mode=mode),
        lambda t: torch.nn.init.kaiming_uniform_(t, mode=mode),
        shape,
    )
    torch.testing.assert_close(mine, reference, rtol=0, atol=0)


@given(
    shape=shapes(), value=st.floats(-10, 10), dtype=st.sampled_from([torch.float32, torch.int64])
)
def test_constant_and_ones_fill_like_torch_and_return_the_tensor(shape, value, dtype):
    for ours, theirs in (
        (lambda t: init.constant_(t, value), lambda t: torch.nn.init.constant_(t, value)),
        (init.ones_, torch.nn.init.ones_),
    ):
        tensor = torch.zeros(shape, dtype=dtype)
        assert ours(tensor) is tensor
        torch.testing.assert_close(tensor, theirs(torch.zeros(shape, dtype=dtype)))


def test_constant_on_a_parameter_records_no_graph():
    weight = torch.empty(2, 2, requires_grad=True)
    init.constant_(weight, 0.5)
    init.ones_(weight)
    assert weight.grad_fn is None and torch.equal(weight, torch.ones(2, 2))
