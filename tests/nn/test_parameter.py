"""Parameter against torch.nn.Parameter: a Tensor subclass that marks learnable state."""

import copy
import pickle

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr.nn import Parameter
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


def test_torch_save_and_load_keep_a_parameter(tmp_path):
    path = tmp_path / "param.pt"
    torch.save(Parameter(torch.arange(3.0)), path)
    restored = torch.load(path, weights_only=False)
    assert type(restored) is Parameter
    torch.testing.assert_close(restored, torch.arange(3.0))


def test_non_tensor_data_is_a_type_error():
    # torch.nn.Parameter fails here with an AttributeError from deep inside
    # ('list' object has no attribute 'detach'); a TypeError says what is wrong.
    with pytest.raises(TypeError, match="list"):
        Parameter([1.0, 2.0])
