"""Linear against torch.nn.Linear: init, forward, gradients, state dicts, reprs, errors."""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr import nn
from minitorch_lr.testing import assert_same_error
from minitorch_lr.testing.strategies import features, make_tensor, seeds, shapes
from tests.helpers import DEVICES, DTYPES

feature_sizes = st.integers(min_value=0, max_value=8)
# Zero features are allowed; both libraries warn that initialising them is a no-op.
zero_size_warning = pytest.mark.filterwarnings("ignore:Initializing zero-element")


def both_linears(seed, in_features, out_features, bias, dtype=torch.float64, device="cpu"):
    torch.manual_seed(seed)
    ours = nn.Linear(in_features, out_features, bias, device=device, dtype=dtype)
    torch.manual_seed(seed)
    theirs = torch.nn.Linear(in_features, out_features, bias, device=device, dtype=dtype)
    return ours, theirs


@zero_size_warning
@given(
    seed=seeds,
    in_features=feature_sizes,
    out_features=feature_sizes,
    bias=st.booleans(),
    dtype=st.sampled_from(DTYPES),
)
def test_same_seed_gives_bit_identical_parameters(seed, in_features, out_features, bias, dtype):
    torch.manual_seed(seed)
    ours = nn.Linear(in_features, out_features, bias, dtype=dtype)
    rng_after_ours = torch.get_rng_state()
    torch.manual_seed(seed)
    theirs = torch.nn.Linear(in_features, out_features, bias, dtype=dtype)
    assert torch.equal(ours.weight, theirs.weight)
    if bias:
        assert torch.equal(ours.bias, theirs.bias)
    else:
        assert ours.bias is None
    # Both drew the same amount of randomness, so later draws agree too.
    assert torch.equal(rng_after_ours, torch.get_rng_state())


@given(seed=seeds, in_features=features, out_features=features, bias=st.booleans())
def test_reset_parameters_redraws_like_torch(seed, in_features, out_features, bias):
    ours, theirs = both_linears(0, in_features, out_features, bias)
    torch.manual_seed(seed)
    ours.reset_parameters()
    torch.manual_seed(seed)
    theirs.reset_parameters()
    assert torch.equal(ours.weight, theirs.weight)
    assert bias is False or torch.equal(ours.bias, theirs.bias)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", DTYPES)
@given(
    seed=seeds,
    in_features=features,
    out_features=features,
    bias=st.booleans(),
    batch_shape=shapes(max_dims=3, max_side=4),
)
def test_forward_and_gradients_match_torch(
    device, dtype, seed, in_features, out_features, bias, batch_shape
):
    ours, theirs = both_linears(seed, in_features, out_features, bias, dtype, device)
    x = make_tensor(batch_shape + (in_features,), seed, dtype, device=device)
    x_ours = x.clone().requires_grad_()
    x_theirs = x.clone().requires_grad_()
    out_ours, out_theirs = ours(x_ours), theirs(x_theirs)
    torch.testing.assert_close(out_ours, out_theirs)
    upstream = make_tensor(out_theirs.shape, seed + 1, dtype, device=device)
    out_ours.backward(upstream)
    out_theirs.backward(upstream)
    torch.testing.assert_close(x_ours.grad, x_theirs.grad)
    torch.testing.assert_close(ours.weight.grad, theirs.weight.grad)
    if bias:
        torch.testing.assert_close(ours.bias.grad, theirs.bias.grad)


@zero_size_warning
@given(in_features=feature_sizes, out_features=feature_sizes, bias=st.booleans())
def test_repr_equals_torch(in_features, out_features, bias):
    ours, theirs = both_linears(0, in_features, out_features, bias)
    assert repr(ours) == repr(theirs)


@given(seed=seeds, in_features=features, out_features=features, bias=st.booleans())
def test_state_dicts_load_across_the_two_libraries(seed, in_features, out_features, bias):
    ours, theirs = both_linears(seed, in_features, out_features, bias)
    torch.manual_seed(seed + 1)
    source = torch.nn.Linear(in_features, out_features, bias, dtype=torch.float64)
    ours.load_state_dict(source.state_dict())
    assert list(ours.state_dict()) == list(source.state_dict())
    for key, value in source.state_dict().items():
        assert torch.equal(ours.state_dict()[key], value)
    theirs.load_state_dict(ours.state_dict())
    for key, value in ours.state_dict().items():
        assert torch.equal(theirs.state_dict()[key], value)


def test_state_dict_values_are_detached_views_of_the_parameters():
    layer = nn.Linear(2, 3)
    weight = layer.state_dict()["weight"]
    assert not weight.requires_grad and type(weight) is torch.Tensor
    assert weight.data_ptr() == layer.weight.data_ptr()


@pytest.mark.parametrize(
    "make_input",
    [
        lambda: torch.ones(4, 2),
        lambda: torch.ones(4, 3, dtype=torch.float64),
        lambda: torch.ones(3, dtype=torch.float64),
        lambda: torch.ones(()),
    ],
    ids=["wrong-features", "wrong-dtype", "wrong-dtype-unbatched", "zero-dim"],
)
def test_bad_input_raises_torchs_error_type(make_input):
    ours, theirs = both_linears(0, 3, 2, True, torch.float32)
    assert_same_error(lambda: ours(make_input()), lambda: theirs(make_input()))
