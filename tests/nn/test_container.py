"""Sequential against torch.nn.Sequential: construction, indexing, slicing, forward."""

from collections import OrderedDict

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr import nn
from minitorch_lr.testing import assert_same_error
from minitorch_lr.testing.strategies import make_tensor, seeds


def chains(lib, length):
    """``length`` Linear(3, 3) layers, so any slice still chains."""
    return [lib.Linear(3, 3) for _ in range(length)]


@given(length=st.integers(0, 5), index=st.integers(-7, 7))
def test_integer_index_matches_torch_or_raises_index_error(length, index):
    ours, theirs = (
        nn.Sequential(*chains(nn, length)),
        torch.nn.Sequential(*chains(torch.nn, length)),
    )
    if -length <= index < length:
        assert ours[index] is list(ours)[index]
        assert repr(ours[index]) == repr(theirs[index])
    else:
        assert_same_error(lambda: ours[index], lambda: theirs[index])


@given(
    length=st.integers(0, 5),
    start=st.none() | st.integers(-6, 6),
    stop=st.none() | st.integers(-6, 6),
    step=st.none() | st.integers(1, 3),
)
def test_slice_shares_modules_and_keeps_torchs_names(length, start, stop, step):
    layers = chains(nn, length)
    ours = nn.Sequential(*layers)
    theirs = torch.nn.Sequential(*chains(torch.nn, length))
    part = ours[start:stop:step]
    assert type(part) is nn.Sequential
    assert [name for name, _ in part.named_children()] == [
        name for name, _ in theirs[start:stop:step].named_children()
    ]
    assert list(part) == layers[start:stop:step]


@given(seed=seeds, length=st.integers(0, 4))
def test_forward_chains_the_modules_like_torch(seed, length):
    torch.manual_seed(seed)
    ours = nn.Sequential(*chains(nn, length))
    theirs = torch.nn.Sequential(*chains(torch.nn, length))
    theirs.load_state_dict(ours.state_dict())
    x = make_tensor((2, 3), seed, torch.float32)
    torch.testing.assert_close(ours(x), theirs(x))


def test_empty_sequential_is_the_identity():
    x = torch.randn(2, 3)
    assert nn.Sequential()(x) is x


def test_ordered_dict_names_the_children():
    layers = OrderedDict([("flatten", nn.Flatten()), ("out", nn.Linear(4, 2))])
    reference = OrderedDict([("flatten", torch.nn.Flatten()), ("out", torch.nn.Linear(4, 2))])
    ours, theirs = nn.Sequential(layers), torch.nn.Sequential(reference)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["out.weight", "out.bias"]
    assert repr(ours) == repr(theirs)


def test_len_iteration_and_append():
    first, second = nn.Linear(2, 2), nn.Linear(2, 1)
    net = nn.Sequential(first)
    assert net.append(second) is net
    assert len(net) == 2 and list(net) == [first, second]
    assert [name for name, _ in net.named_parameters()] == [
        "0.weight",
        "0.bias",
        "1.weight",
        "1.bias",
    ]


def test_non_module_argument_is_a_type_error_like_torch():
    assert_same_error(lambda: nn.Sequential(lambda x: x), lambda: torch.nn.Sequential(lambda x: x))


@pytest.mark.parametrize("index", ["0", 1.0])
def test_non_integer_index_is_a_type_error(index):
    net = nn.Sequential(nn.Linear(1, 1), nn.Linear(1, 1))
    reference = torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.Linear(1, 1))
    assert_same_error(lambda: net[index], lambda: reference[index])
