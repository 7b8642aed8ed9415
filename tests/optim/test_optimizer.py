"""Optimizer against torch.optim.Optimizer: param groups, add_param_group's checks,
zero_grad, the state-dict layout, loading across the two libraries, errors, reprs.

torch's base class can be built directly too, so each test builds both over the same
tensors and compares. State is written by hand here (``state[p]['momentum_buffer']``);
state that SGD's steps produce is tested in ``test_sgd.py``.
"""

import io
import re

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr import nn
from minitorch_lr.optim import Optimizer
from minitorch_lr.testing import assert_same_error
from minitorch_lr.testing.optim_strategies import grouped_params, groups_with_state


def defaults():
    # A fresh dict each time: both libraries keep the dict they are given, and torch's
    # load_state_dict adds a key to it.
    return {"lr": 0.1, "momentum": 0.0}


def copy_groups(groups):
    return [dict(group) for group in groups]


def assert_same_groups(ours, theirs):
    assert len(ours.param_groups) == len(theirs.param_groups)
    for our_group, their_group in zip(ours.param_groups, theirs.param_groups):
        assert our_group.keys() == their_group.keys()
        for key in our_group:
            if key == "params":
                assert [id(p) for p in our_group[key]] == [id(p) for p in their_group[key]]
            else:
                assert our_group[key] == their_group[key]


def same_message(ours, theirs, detail=False):
    """Both raise; ours with torch's type and torch's message, followed by a detail
    naming the offending value where ``detail``."""
    with pytest.raises(Exception) as torch_error:
        theirs()
    message = "^" + re.escape(str(torch_error.value)) + (": .+" if detail else "$")
    assert_same_error(ours, theirs, match=message)


# --- construction and param groups ----------------------------------------------------


@given(groups=grouped_params())
def test_param_groups_equal_torchs_for_generated_groupings(groups):
    ours = Optimizer(copy_groups(groups), defaults())
    theirs = torch.optim.Optimizer(copy_groups(groups), defaults())
    assert_same_groups(ours, theirs)
    assert ours.defaults == theirs.defaults


@given(groups=grouped_params())
def test_add_param_group_equals_torchs(groups):
    first, *rest = groups
    ours = Optimizer([dict(first)], defaults())
    theirs = torch.optim.Optimizer([dict(first)], defaults())
    for group in rest:
        ours.add_param_group(dict(group))
        theirs.add_param_group(dict(group))
    assert_same_groups(ours, theirs)


@pytest.mark.parametrize(
    "make_params",
    [
        pytest.param(lambda model: model.parameters(), id="generator"),
        pytest.param(lambda model: list(model.parameters()), id="list"),
        pytest.param(lambda model: [{"params": model.weight}], id="bare-tensor-in-group"),
        pytest.param(lambda model: ({"params": p} for p in model.parameters()), id="dicts"),
    ],
)
def test_accepts_every_params_form_torch_accepts(make_params):
    model = nn.Linear(3, 2)
    ours = Optimizer(make_params(model), defaults())
    theirs = torch.optim.Optimizer(make_params(model), defaults())
    assert_same_groups(ours, theirs)


def test_the_group_dict_given_becomes_the_group_filled_in_as_torchs_is():
    weight = torch.zeros(2, requires_grad=True)
    ours_group, their_group = {"params": (weight,)}, {"params": (weight,)}
    ours = Optimizer([ours_group], defaults())
    theirs = torch.optim.Optimizer([their_group], defaults())
    assert ours.param_groups[0] is ours_group
    assert theirs.param_groups[0] is their_group
    assert ours_group == their_group == {"params": [weight], "lr": 0.1, "momentum": 0.0}


def test_a_bare_tensor_is_a_type_error_with_torchs_message():
    weight = torch.zeros(2, requires_grad=True)
    same_message(
        lambda: Optimizer(weight, defaults()), lambda: torch.optim.Optimizer(weight, defaults())
    )


def test_an_empty_list_is_a_value_error_with_torchs_message():
    same_message(lambda: Optimizer([], defaults()), lambda: torch.optim.Optimizer([], defaults()))


@pytest.mark.parametrize(
    "bad_group",
    [
        pytest.param(lambda w: [w, 3], id="non-tensor"),
        pytest.param(lambda w: [{"params": [w, "bias"]}], id="non-tensor-in-group"),
        pytest.param(lambda w: [{"params": {w}}], id="set"),
        pytest.param(lambda w: [{"lr": 0.1}], id="no-params-key"),
        pytest.param(lambda w: [{"params": [w * 2]}], id="non-leaf"),
        pytest.param(lambda w: [{"params": [w]}, {"params": [w]}], id="in-two-groups"),
        pytest.param(lambda w: [{"params": [w]}, [w]], id="group-not-a-dict"),
    ],
)
def test_bad_groups_raise_torchs_exception_type(bad_group):
    weight = torch.zeros(2, requires_grad=True)
    assert_same_error(
        lambda: Optimizer(bad_group(weight), defaults()),
        lambda: torch.optim.Optimizer(bad_group(weight), defaults()),
    )


def test_error_messages_are_torchs_and_name_the_offending_tensor():
    weight = torch.zeros(2, 3, requires_grad=True)
    same_message(
        lambda: Optimizer([weight, 3], defaults()),
        lambda: torch.optim.Optimizer([weight, 3], defaults()),
    )
    non_leaf = [weight, weight * 2]
    same_message(
        lambda: Optimizer(non_leaf, defaults()),
        lambda: torch.optim.Optimizer(non_leaf, defaults()),
        detail=True,
    )
    with pytest.raises(ValueError, match=r"params\[1\] of shape \(2, 3\) was computed by Mul"):
        Optimizer(non_leaf, defaults())
    same_message(
        lambda: Optimizer([{"params": [weight]}, {"params": [weight]}], defaults()),
        lambda: torch.optim.Optimizer([{"params": [weight]}, {"params": [weight]}], defaults()),
        detail=True,
    )
    with pytest.raises(ValueError, match=r"shape \(2, 3\) are already in group 0"):
        Optimizer([{"params": [weight]}, {"params": [weight]}], defaults())


def test_failed_add_param_group_changes_nothing():
    weight, bias = torch.zeros(2, requires_grad=True), torch.zeros(1, requires_grad=True)
    ours = Optimizer([weight], defaults())
    with pytest.raises(ValueError):
        ours.add_param_group({"params": [bias, weight]})
    assert len(ours.param_groups) == 1 and ours.param_groups[0]["params"] == [weight]


def test_a_tensor_that_retains_grad_may_be_optimized_as_in_torch():
    computed = torch.zeros(2, requires_grad=True) * 2
    computed.retain_grad()
    ours = Optimizer([computed], defaults())
    theirs = torch.optim.Optimizer([computed], defaults())
    assert_same_groups(ours, theirs)


def test_duplicate_tensors_in_a_group_warn_like_torch():
    weight = torch.zeros(2, requires_grad=True)
    with pytest.warns(UserWarning, match="duplicate parameters"):
        torch.optim.Optimizer([weight, weight], defaults())
    with pytest.warns(UserWarning, match="duplicate parameters"):
        Optimizer([weight, weight], defaults())


def test_step_is_left_to_subclasses_as_in_torch():
    weight = torch.zeros(2, requires_grad=True)
    assert_same_error(
        lambda: Optimizer([weight], defaults()).step(),
        lambda: torch.optim.Optimizer([weight], defaults()).step(),
    )


# --- zero_grad ------------------------------------------------------------------------


def params_with_grads(model_nn, create_graph):
    model = model_nn.Linear(3, 2, dtype=torch.float64)
    inputs = torch.randn(4, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    model(inputs).pow(2).sum().backward(create_graph=create_graph)
    return list(model.parameters())


# create_graph=True makes gradients that are part of a graph; torch warns of the
# reference cycle that makes, which is expected here.
@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("set_to_none", [True, False])
@pytest.mark.parametrize("model_nn", [nn, torch.nn], ids=["minitorch_lr.nn", "torch.nn"])
@pytest.mark.parametrize("optimizer_class", [Optimizer, torch.optim.Optimizer])
def test_zero_grad_on_either_librarys_parameters_equals_torchs(
    optimizer_class, model_nn, set_to_none, create_graph
):
    """Ours and torch's zero_grad, each on minitorch_lr and on torch.nn parameters."""
    params = params_with_grads(model_nn, create_graph)
    expected = params_with_grads(model_nn, create_graph)
    grads_before = [param.grad for param in params]
    optimizer_class(params, defaults()).zero_grad(set_to_none=set_to_none)
    torch.optim.Optimizer(expected, defaults()).zero_grad(set_to_none=set_to_none)
    for param, reference, before in zip(params, expected, grads_before):
        if set_to_none:
            assert param.grad is None and reference.grad is None
        else:
            # Zeroed in place, detached from any graph.
            assert param.grad is before
            assert torch.equal(param.grad, torch.zeros_like(param))
            assert param.grad.grad_fn is None and not param.grad.requires_grad
            assert reference.grad.grad_fn is None and not reference.grad.requires_grad


def test_zero_grad_skips_tensors_without_a_gradient():
    weight, bias = torch.zeros(2, requires_grad=True), torch.zeros(1, requires_grad=True)
    weight.grad = torch.ones(2)
    Optimizer([weight, bias], defaults()).zero_grad(set_to_none=False)
    assert torch.equal(weight.grad, torch.zeros(2)) and bias.grad is None


# --- state dicts ------------------------------------------------------------------------


def both_with_state(groups, state):
    ours = Optimizer(copy_groups(groups), defaults())
    theirs = torch.optim.Optimizer(copy_groups(groups), defaults())
    for param, entry in state.items():
        ours.state[param] = dict(entry)
        theirs.state[param] = dict(entry)
    return ours, theirs


def assert_same_state_dict(ours, theirs):
    assert ours["param_groups"] == theirs["param_groups"]
    assert ours["state"].keys() == theirs["state"].keys()
    for index, entry in ours["state"].items():
        assert entry.keys() == theirs["state"][index].keys()
        for key, value in entry.items():
            torch.testing.assert_close(value, theirs["state"][index][key], rtol=0, atol=0)


@given(groups_and_state=groups_with_state())
def test_state_dict_layout_equals_torchs(groups_and_state):
    ours, theirs = both_with_state(*groups_and_state)
    assert_same_state_dict(ours.state_dict(), theirs.state_dict())


@given(groups_and_state=groups_with_state(), direction=st.sampled_from(["ours", "torch"]))
def test_state_dict_loads_across_the_libraries(groups_and_state, direction):
    """A state dict saved by one library, loaded by a fresh optimizer of the other."""
    groups, state = groups_and_state
    saved_ours, saved_theirs = both_with_state(groups, state)
    # The loaded hyperparameters must win over the fresh optimizer's own.
    for saved in (saved_ours, saved_theirs):
        saved.param_groups[0]["lr"] = 0.75
    saved = (saved_ours if direction == "ours" else saved_theirs).state_dict()
    ours = Optimizer(copy_groups(groups), defaults())
    theirs = torch.optim.Optimizer(copy_groups(groups), defaults())
    ours.load_state_dict(saved)
    theirs.load_state_dict(saved)
    assert_same_groups(ours, theirs)
    assert ours.param_groups[0]["lr"] == 0.75
    assert_same_state_dict(ours.state_dict(), theirs.state_dict())
    for param in ours.state:
        assert any(param is p for group in ours.param_groups for p in group["params"])


def test_state_dict_survives_torch_save_and_a_weights_only_load():
    weight = torch.ones(3, requires_grad=True)
    ours = Optimizer([weight], defaults())
    ours.state[weight]["momentum_buffer"] = torch.arange(3.0)
    buffer = io.BytesIO()
    torch.save(ours.state_dict(), buffer)
    buffer.seek(0)
    fresh = Optimizer([weight], {"lr": 0.5, "momentum": 0.0})
    fresh.load_state_dict(torch.load(buffer, weights_only=True))
    assert fresh.param_groups[0]["lr"] == 0.1
    assert torch.equal(fresh.state[weight]["momentum_buffer"], torch.arange(3.0))


@pytest.mark.parametrize("saved_dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("param_dtype", [torch.float32, torch.float64])
def test_loaded_state_follows_the_parameters_dtype_as_in_torch(saved_dtype, param_dtype):
    weight = torch.ones(3, dtype=param_dtype, requires_grad=True)
    saved = {
        "state": {0: {"momentum_buffer": torch.arange(3, dtype=saved_dtype), "step": 4}},
        "param_groups": [{"lr": 0.1, "momentum": 0.0, "params": [0]}],
    }
    ours = Optimizer([weight], defaults())
    theirs = torch.optim.Optimizer([weight], defaults())
    ours.load_state_dict(saved)
    theirs.load_state_dict(saved)
    our_buffer = ours.state[weight]["momentum_buffer"]
    assert our_buffer.dtype == theirs.state[weight]["momentum_buffer"].dtype == param_dtype
    assert ours.state[weight]["step"] == 4


def test_loaded_state_is_a_copy_of_the_dict_it_came_from():
    # torch shares storage here when dtype and device already match; a copy means that
    # later steps never write into a state dict that was saved, or loaded elsewhere too.
    weight = torch.ones(3, requires_grad=True)
    saved_buffer = torch.arange(3.0)
    saved = {
        "state": {0: {"momentum_buffer": saved_buffer}},
        "param_groups": [{"lr": 0.1, "momentum": 0.0, "params": [0]}],
    }
    ours = Optimizer([weight], defaults())
    ours.load_state_dict(saved)
    ours.state[weight]["momentum_buffer"].mul_(2)
    assert torch.equal(saved_buffer, torch.arange(3.0))


def saved_group(params):
    return {"lr": 0.5, "momentum": 0.0, "params": params}


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param([saved_group([0]), saved_group([1])], id="group-count"),
        pytest.param([saved_group([0])], id="group-size"),
    ],
)
def test_mismatched_state_dict_raises_like_torch_and_changes_nothing(bad):
    weight, bias = torch.ones(2, requires_grad=True), torch.ones(1, requires_grad=True)
    saved = {"state": {0: {"momentum_buffer": torch.zeros(2)}}, "param_groups": bad}
    ours = Optimizer([weight, bias], defaults())
    ours.state[weight]["momentum_buffer"] = torch.full((2,), 3.0)
    before = ours.state_dict()
    theirs = torch.optim.Optimizer([weight, bias], defaults())
    same_message(
        lambda: ours.load_state_dict(saved), lambda: theirs.load_state_dict(saved), detail=True
    )
    assert_same_state_dict(ours.state_dict(), before)
    assert torch.equal(ours.state[weight]["momentum_buffer"], torch.full((2,), 3.0))


def test_state_for_an_index_no_group_lists_is_a_value_error():
    # torch keeps such an entry under its integer key, where no step would ever find
    # it; here it is reported instead.
    weight = torch.ones(2, requires_grad=True)
    saved = {
        "state": {5: {"momentum_buffer": torch.ones(2)}},
        "param_groups": [{"lr": 0.1, "momentum": 0.0, "params": [0]}],
    }
    ours = Optimizer([weight], defaults())
    with pytest.raises(ValueError, match="state for parameter 5"):
        ours.load_state_dict(saved)
    assert len(ours.state) == 0


def test_repr_equals_torchs():
    weight, bias = torch.ones(2, requires_grad=True), torch.ones(1, requires_grad=True)
    groups = [{"params": [weight]}, {"params": [bias], "lr": 0.5}]
    ours = Optimizer(copy_groups(groups), defaults())
    assert repr(ours) == repr(torch.optim.Optimizer(copy_groups(groups), defaults()))
