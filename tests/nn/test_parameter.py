"""Parameter against torch.nn.Parameter: a Tensor subclass that marks learnable state."""

import copy
import pickle

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr import chapter, nn, optim
from minitorch_lr.nn import Parameter, UninitializedParameter
from minitorch_lr.testing.strategies import shapes, tensors

small_tensors = tensors(shape=shapes(max_dims=3))


@given(data=small_tensors, requires_grad=st.booleans())
def test_repr_equals_torch(data, requires_grad):
    assert repr(Parameter(data, requires_grad)) == repr(torch.nn.Parameter(data, requires_grad))


@given(data=small_tensors)
def test_is_a_tensor_sharing_storage_with_its_data(data):
    param = Parameter(data)
    assert isinstance(param, torch.Tensor)
    assert param.data_ptr() == data.data_ptr()
    assert param.is_leaf and param.grad_fn is None


def test_requires_grad_by_default_even_under_no_grad():
    with torch.no_grad():
        inside = Parameter(torch.ones(2))
    assert inside.requires_grad and Parameter(torch.ones(2)).requires_grad
    assert not Parameter(torch.ones(2), requires_grad=False).requires_grad


def test_wrapping_a_graph_result_makes_a_leaf():
    x = torch.ones(2, requires_grad=True)
    param = Parameter(x * 2)
    assert param.is_leaf and param.requires_grad


def test_no_data_gives_an_empty_tensor_like_torch():
    ours, theirs = Parameter(), torch.nn.Parameter()
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype


@given(data=small_tensors)
def test_operations_return_plain_tensors(data):
    param = Parameter(data)
    for result in (param * 2, param + param, param.sum(), param.detach(), param.clone()):
        assert type(result) is torch.Tensor


@given(data=small_tensors, requires_grad=st.booleans())
def test_deepcopy_keeps_class_values_and_flag_with_new_storage(data, requires_grad):
    param = Parameter(data, requires_grad)
    copied = copy.deepcopy(param)
    assert type(copied) is Parameter
    assert copied.requires_grad == requires_grad
    torch.testing.assert_close(copied, param, rtol=0, atol=0)
    if data.numel():
        assert copied.data_ptr() != param.data_ptr()


def test_deepcopy_of_a_shared_parameter_stays_shared():
    param = Parameter(torch.ones(2))
    first, second = copy.deepcopy([param, param])
    assert first is second


@given(data=small_tensors, requires_grad=st.booleans())
def test_pickle_round_trip_keeps_a_parameter(data, requires_grad):
    restored = pickle.loads(pickle.dumps(Parameter(data, requires_grad)))
    assert type(restored) is Parameter
    assert restored.requires_grad == requires_grad
    torch.testing.assert_close(restored, data, rtol=0, atol=0)


@pytest.mark.parametrize("weights_only", [True, False])
@pytest.mark.parametrize("requires_grad", [True, False])
def test_torch_save_and_load_keep_a_parameter_with_torchs_default_weights_only(
    tmp_path, weights_only, requires_grad
):
    # torch.load's default, weights_only=True, refuses classes it does not know: a saved
    # Parameter loads only because its rebuild function is registered as safe.
    path = tmp_path / "param.pt"
    torch.save(Parameter(torch.arange(3.0), requires_grad), path)
    restored = torch.load(path, weights_only=weights_only)
    assert type(restored) is Parameter and restored.is_leaf
    assert restored.requires_grad == requires_grad
    torch.testing.assert_close(restored, torch.arange(3.0), rtol=0, atol=0)


def test_a_state_dict_of_parameters_loads_with_weights_only_into_either_library(tmp_path):
    model = nn.Sequential(nn.Linear(3, 2))
    path = tmp_path / "state.pt"
    torch.save(model.state_dict(keep_vars=True), path)
    state = torch.load(path)  # weights_only=True, torch's default
    assert [type(value) for value in state.values()] == [Parameter, Parameter]
    twin = torch.nn.Sequential(torch.nn.Linear(3, 2))
    twin.load_state_dict(state)
    torch.testing.assert_close(twin[0].weight, model[0].weight)


def test_torch_counts_it_as_its_parameter_so_a_torch_module_registers_it():
    param = Parameter(torch.ones(2))
    assert isinstance(param, torch.nn.Parameter)
    holder = torch.nn.Module()
    holder.scale = param
    assert list(holder.parameters()) == [param]


def test_materializing_a_placeholder_keeps_the_object_and_makes_a_parameter():
    placeholder = UninitializedParameter(requires_grad=False, dtype=torch.float64)
    twin = torch.nn.UninitializedParameter(requires_grad=False, dtype=torch.float64)
    same_object = placeholder
    placeholder.materialize((2, 3))
    twin.materialize((2, 3))
    assert same_object is placeholder and type(placeholder) is Parameter
    assert placeholder.shape == twin.shape and placeholder.dtype == twin.dtype
    assert placeholder.requires_grad is twin.requires_grad is False


@pytest.fixture(scope="module")
def compiled_softmax_regression():
    """The chapter's softmax model, compiled, beside an eager twin from the same draws."""
    models = [
        chapter.softmax_concise(nn, optim, generator=torch.Generator().manual_seed(0))
        for _ in range(2)
    ]
    return torch.compile(models[0].net), models


def test_a_compiled_minitorch_lr_model_trains_as_the_eager_one(compiled_softmax_regression):
    """torch.compile runs the first call under a check that treats only torch's tensor
    types, Parameter included, as plain tensors. ``_is_param`` makes this Parameter one
    of them; without it the first call failed ("Multiple dispatch failed for aten.addmm.out")."""
    compiled, (model, twin) = compiled_softmax_regression
    generator = torch.Generator().manual_seed(1)
    for _ in range(3):
        images = torch.rand((64, 1, 28, 28), generator=generator)
        labels = torch.randint(0, 10, (64,), generator=generator)
        for net, updater in ((compiled, model.updater), (twin.net, twin.updater)):
            loss = model.loss(net(images), labels)
            updater.zero_grad()
            loss.backward()
            updater.step()
        for param, twin_param in zip(model.params, twin.params):
            torch.testing.assert_close(param.grad, twin_param.grad)
            torch.testing.assert_close(param.detach(), twin_param.detach())


def test_non_tensor_data_is_a_type_error():
    # torch.nn.Parameter fails here with an AttributeError from deep inside
    # ('list' object has no attribute 'detach'); a TypeError says what is wrong.
    with pytest.raises(TypeError, match="list"):
        Parameter([1.0, 2.0])
