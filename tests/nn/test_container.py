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


# --- the list methods, run side by side with torch's -------------------------------------

indices = st.integers(-6, 6)
slices = st.builds(slice, st.none() | indices, st.none() | indices, st.none() | st.integers(1, 2))
operations = st.one_of(
    st.tuples(st.just("append"), st.integers(1, 9)),
    st.tuples(st.just("insert"), indices, st.integers(1, 9)),
    st.tuples(st.just("setitem"), indices, st.integers(1, 9)),
    st.tuples(st.just("delitem"), indices | slices),
    st.tuples(st.just("pop"), indices | slices),
    st.tuples(st.just("extend"), st.lists(st.integers(1, 9), max_size=3)),
    st.tuples(st.just("add"), st.lists(st.integers(1, 9), max_size=3)),
    st.tuples(st.just("iadd"), st.lists(st.integers(1, 9), max_size=3)),
    st.tuples(st.just("mul"), st.integers(-1, 3)),
    st.tuples(st.just("rmul"), st.integers(-1, 3)),
    st.tuples(st.just("imul"), st.integers(-1, 3)),
)


def tagged(lib, tags):
    """One Linear(tag, 1) per tag: in_features tells the modules apart."""
    return [lib.Linear(tag, 1) for tag in tags]


def apply(lib, sequential, operation):
    """Run ``operation`` on ``sequential``; return the container it leaves (new or same)."""
    name, *args = operation
    if name == "append":
        return sequential.append(lib.Linear(args[0], 1))
    if name == "insert":
        return sequential.insert(args[0], lib.Linear(args[1], 1))
    if name == "setitem":
        sequential[args[0]] = lib.Linear(args[1], 1)
        return sequential
    if name == "delitem":
        del sequential[args[0]]
        return sequential
    if name == "pop":
        sequential.pop(args[0])
        return sequential
    other = lib.Sequential(*tagged(lib, args[0])) if name in ("extend", "add", "iadd") else None
    if name == "extend":
        return sequential.extend(other)
    if name == "add":
        return sequential + other
    if name == "iadd":
        sequential += other
        return sequential
    if name == "mul":
        return sequential * args[0]
    if name == "rmul":
        return args[0] * sequential
    sequential *= args[0]
    return sequential


def layout(sequential):
    """What a Sequential holds, comparable across libraries: (name, in_features) pairs."""
    return [(name, module.in_features) for name, module in sequential._modules.items()]


@given(
    tags=st.lists(st.integers(1, 9), max_size=4),
    script=st.lists(operations, min_size=1, max_size=5),
)
def test_list_methods_and_operators_leave_what_torchs_leave(tags, script):
    ours = nn.Sequential(*tagged(nn, tags))
    theirs = torch.nn.Sequential(*tagged(torch.nn, tags))
    for operation in script:
        try:
            expected = apply(torch.nn, theirs, operation)
        except Exception as error:
            with pytest.raises(type(error)):
                apply(nn, ours, operation)
            # torch may have changed its container before raising; stop comparing here.
            return
        result = apply(nn, ours, operation)
        assert type(result) is nn.Sequential
        assert (result is ours) == (expected is theirs), operation
        assert layout(result) == layout(expected), operation
        ours, theirs = result, expected


def test_pop_returns_the_module_and_renumbers_the_rest():
    layers = tagged(nn, [1, 2, 3])
    sequential = nn.Sequential(*layers)
    assert sequential.pop(-2) is layers[1]
    assert layout(sequential) == [("0", 1), ("1", 3)]
    assert sequential.append(nn.Linear(4, 1)) is sequential
    assert layout(sequential) == [("0", 1), ("1", 3), ("2", 4)]


def test_repeats_share_their_modules():
    layer = nn.Linear(2, 2)
    doubled = nn.Sequential(layer) * 2
    assert doubled[0] is doubled[1] is layer
    assert len(list(doubled.parameters())) == 2  # one weight and one bias, shared


def test_dir_lists_named_children_but_not_numbered_ones():
    sequential = nn.Sequential(OrderedDict(first=nn.Linear(1, 1)))
    numbered = nn.Sequential(nn.Linear(1, 1))
    assert "first" in dir(sequential)
    assert not any(name.isdigit() for name in dir(numbered))
