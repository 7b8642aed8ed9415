"""Linear against torch.nn.Linear: init, forward, gradients, state dicts, reprs, errors;
and LazyLinear against torch.nn.LazyLinear, before, at and after its first call."""

import copy

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr import nn
from minitorch_lr.optim import SGD
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


# --- LazyLinear: in_features read from the first input ------------------------------------


def both_lazy(out_features, bias=True, **factory):
    return nn.LazyLinear(out_features, bias, **factory), torch.nn.LazyLinear(
        out_features, bias, **factory
    )


@given(
    seed=seeds,
    in_features=features,
    out_features=features,
    batch_shape=shapes(max_dims=2, max_side=3),
    bias=st.booleans(),
    dtype=st.sampled_from(DTYPES),
)
def test_lazy_linear_materializes_torchs_parameters_at_the_first_call(
    seed, in_features, out_features, batch_shape, bias, dtype
):
    ours, theirs = both_lazy(out_features, bias, dtype=dtype)
    assert repr(ours) == repr(theirs)  # in_features=0 until the first call
    before = list(ours.parameters())
    x = make_tensor(batch_shape + (in_features,), seed, dtype)
    torch.manual_seed(seed)
    our_output = ours(x)
    torch.manual_seed(seed)
    their_output = theirs(x)
    # Drawn at the first call exactly as Linear draws them, into the same objects.
    assert type(ours) is nn.Linear and repr(ours) == repr(theirs)
    assert all(a is b for a, b in zip(before, ours.parameters()))
    for mine, reference in zip(ours.parameters(), theirs.parameters()):
        assert type(mine) is nn.Parameter and torch.equal(mine, reference)
    torch.testing.assert_close(our_output, their_output)


def test_an_optimizer_built_before_the_first_call_trains_the_materialized_parameters():
    ours, theirs = both_lazy(2)
    ours_sgd = SGD(ours.parameters(), lr=0.5)
    their_sgd = torch.optim.SGD(theirs.parameters(), lr=0.5)
    x = torch.randn(4, 3)
    for model, optimizer in ((ours, ours_sgd), (theirs, their_sgd)):
        torch.manual_seed(0)
        model(x).square().sum().backward()
        optimizer.step()
    for mine, reference in zip(ours.parameters(), theirs.parameters()):
        torch.testing.assert_close(mine.detach(), reference.detach())


PLACEHOLDER_CALLS = {
    "shape": lambda lib, layer: layer.weight.shape,
    "add": lambda lib, layer: layer.weight + 1,
    "sum": lambda lib, layer: layer.weight.sum(),
    "numel": lambda lib, layer: layer.weight.numel(),
    "detach": lambda lib, layer: layer.weight.detach(),
    "normal_": lambda lib, layer: layer.weight.normal_(0, 0.01),
    "init": lambda lib, layer: lib.init.normal_(layer.weight, 0, 0.01),
    "state-into-linear": lambda lib, layer: lib.Linear(4, 3).load_state_dict(layer.state_dict()),
}


@pytest.mark.parametrize("call", PLACEHOLDER_CALLS.values(), ids=PLACEHOLDER_CALLS.keys())
def test_a_placeholder_refuses_to_be_used_before_the_first_call_like_torch(call):
    ours, theirs = both_lazy(3)
    assert_same_error(lambda: call(nn, ours), lambda: call(torch.nn, theirs))


def test_a_placeholder_states_what_it_is_and_keeps_its_dtype_and_device():
    ours, theirs = both_lazy(3, dtype=torch.float64)
    assert repr(ours.weight) == repr(theirs.weight) == "<UninitializedParameter>"
    assert isinstance(ours.weight, nn.UninitializedParameter)
    assert ours.weight.dtype == theirs.weight.dtype == torch.float64
    assert ours.weight.size() == theirs.weight.size() == torch.Size([0])
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight", "bias"]


def test_an_init_through_data_before_the_first_call_changes_nothing_as_in_torch():
    # d2l 1.0.3 writes net.weight.data.normal_(0, 0.01) on a LazyLinear: it runs, on an
    # empty tensor, and the first call then draws Linear's values.
    ours, theirs = both_lazy(1)
    for layer in (ours, theirs):
        layer.weight.data.normal_(0, 0.01)
        layer.bias.data.fill_(0)
        torch.manual_seed(5)
        layer(torch.ones(2, 4))
    torch.manual_seed(5)
    fresh = torch.nn.Linear(4, 1)
    for mine, reference, drawn in zip(ours.parameters(), theirs.parameters(), fresh.parameters()):
        assert torch.equal(mine, reference) and torch.equal(mine, drawn)


def test_loading_a_state_dict_materializes_the_placeholders_and_keeps_the_values():
    state = torch.nn.Linear(4, 2).state_dict()
    ours, theirs = both_lazy(2)
    for layer in (ours, theirs):
        result = layer.load_state_dict(state)
        assert repr(result) == "<All keys matched successfully>"
        assert not layer.has_uninitialized_params() and layer.in_features == 0
    for mine, reference in zip(ours.parameters(), theirs.parameters()):
        assert type(mine) is nn.Parameter and torch.equal(mine, reference)
    x = torch.randn(3, 4)
    torch.testing.assert_close(ours(x), theirs(x))  # no redraw at the first call
    assert ours.in_features == 4 and type(ours) is nn.Linear


def test_a_first_input_of_another_width_than_the_loaded_weight_is_torchs_error():
    state = torch.nn.Linear(4, 2).state_dict()
    ours, theirs = both_lazy(2)
    ours.load_state_dict(state)
    theirs.load_state_dict(state)
    assert_same_error(lambda: ours(torch.randn(3, 5)), lambda: theirs(torch.randn(3, 5)))


def test_casting_before_the_first_call_sets_the_dtype_it_materializes_in():
    ours, theirs = both_lazy(2)
    ours.double()
    theirs.double()
    assert isinstance(ours.weight, nn.UninitializedParameter)
    x = torch.randn(3, 4, dtype=torch.float64)
    assert ours(x).dtype == theirs(x).dtype == torch.float64
    assert ours.weight.dtype == torch.float64


def test_a_copy_of_a_lazy_layer_materializes_on_its_own():
    layer = nn.LazyLinear(2)
    twin = copy.deepcopy(layer)
    twin(torch.randn(1, 3))
    assert twin.in_features == 3 and layer.has_uninitialized_params()
    layer(torch.randn(1, 5))
    assert layer.weight.shape == (2, 5) and twin.weight.shape == (2, 3)
