"""Flatten against torch.nn.Flatten: shapes, views, gradients and errors."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr import nn
from minitorch_lr.testing.assertions import assert_same_error
from minitorch_lr.testing.strategies import flatten_cases, make_tensor, seeds, shapes


@given(case=flatten_cases(), seed=seeds, dtype=st.sampled_from([torch.float32, torch.float64]))
def test_result_or_error_matches_torch(case, seed, dtype):
    shape, start_dim, end_dim = case
    x = make_tensor(shape, seed, dtype)
    try:
        expected = torch.nn.Flatten(start_dim, end_dim)(x)
    except (IndexError, RuntimeError) as error:
        try:
            nn.Flatten(start_dim, end_dim)(x)
        except type(error):
            return
        raise AssertionError(f"expected {type(error).__name__} like torch") from None
    result = nn.Flatten(start_dim, end_dim)(x)
    assert result.shape == expected.shape
    torch.testing.assert_close(result, expected, rtol=0, atol=0)


@given(shape=shapes(min_dims=2, max_dims=4, min_side=1), seed=seeds)
def test_contiguous_input_gives_a_view_and_gradients_flow(shape, seed):
    x = make_tensor(shape, seed).requires_grad_()
    result = nn.Flatten()(x)
    assert result.data_ptr() == x.data_ptr()
    result.sum().backward()
    torch.testing.assert_close(x.grad, torch.ones(shape, dtype=x.dtype))


def test_non_contiguous_input_is_copied_like_torch():
    x = torch.arange(24.0).reshape(2, 3, 4).transpose(1, 2)
    torch.testing.assert_close(nn.Flatten()(x), torch.nn.Flatten()(x), rtol=0, atol=0)


def test_images_become_rows():
    assert nn.Flatten()(torch.zeros(32, 1, 28, 28)).shape == (32, 784)


@given(start_dim=st.integers(-3, 3), end_dim=st.integers(-3, 3))
def test_repr_equals_torch(start_dim, end_dim):
    assert repr(nn.Flatten(start_dim, end_dim)) == repr(torch.nn.Flatten(start_dim, end_dim))


@pytest.mark.parametrize(
    ("start_dim", "end_dim"),
    [(1.5, -1), (1, 2.0), ("1", -1), (True, -1), (None, -1), (torch.tensor(1.0), -1)],
    ids=["float-start", "float-end", "str", "bool", "none", "float-tensor"],
)
def test_a_dim_that_is_not_an_int_is_torchs_type_error_naming_the_argument(start_dim, end_dim):
    x = torch.zeros(2, 3, 4)

    def ours():
        return nn.Flatten(start_dim, end_dim)(x)

    torch_error = assert_same_error(ours, lambda: torch.nn.Flatten(start_dim, end_dim)(x))
    with pytest.raises(TypeError) as our_error:
        ours()
    assert str(our_error.value) == str(torch_error)  # word for word


@pytest.mark.parametrize("dim", [np.int64(1), torch.tensor(1)], ids=["numpy-int", "int-tensor"])
def test_integers_of_other_types_are_taken_as_torch_takes_them(dim):
    x = torch.zeros(2, 3, 4)
    assert nn.Flatten(dim)(x).shape == torch.nn.Flatten(dim)(x).shape == (2, 12)
