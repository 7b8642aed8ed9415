"""Loss modules against torch.nn's: results and gradients, constructor options, reprs,
state dicts (CrossEntropyLoss's weight buffer), warnings and errors."""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr import nn
from minitorch_lr.testing import assert_same_error, assert_same_forward_backward
from minitorch_lr.testing.loss_strategies import (
    class_index_cases,
    probability_target_cases,
    reductions,
    regression_pairs,
)

REGRESSION_MODULES = ["MSELoss", "L1Loss", "HuberLoss"]


def both_modules(name, **options):
    return getattr(nn, name)(**options), getattr(torch.nn, name)(**options)


def regression_options(name, reduction, delta):
    options = {"reduction": reduction}
    if name == "HuberLoss":
        options["delta"] = delta
    return options


@pytest.mark.parametrize("name", REGRESSION_MODULES)
@given(pair=regression_pairs(), reduction=reductions, delta=st.sampled_from([0.5, 1.0, 3.0]))
def test_regression_modules_match_torch(name, pair, reduction, delta):
    ours, theirs = both_modules(name, **regression_options(name, reduction, delta))
    assert_same_forward_backward(ours, theirs, *pair)


@given(case=class_index_cases())
def test_cross_entropy_loss_with_class_indices_matches_torch(case):
    logits, target, options = case
    ours, theirs = both_modules("CrossEntropyLoss", **options)
    assert_same_forward_backward(lambda x: ours(x, target), lambda x: theirs(x, target), logits)


@given(case=probability_target_cases())
def test_cross_entropy_loss_with_probabilities_matches_torch(case):
    logits, target, options = case
    ours, theirs = both_modules("CrossEntropyLoss", **options)
    assert_same_forward_backward(lambda x: ours(x, target), lambda x: theirs(x, target), logits)


# --- options, reprs, state ----------------------------------------------------------------


def all_option_sets():
    weight = torch.tensor([0.5, 2.0, 1.0])
    cases = [
        ("MSELoss", {}),
        ("MSELoss", {"reduction": "sum"}),
        ("L1Loss", {"reduction": "none"}),
        ("HuberLoss", {}),
        ("HuberLoss", {"reduction": "sum", "delta": 0.25}),
        ("CrossEntropyLoss", {}),
        ("CrossEntropyLoss", {"weight": weight}),
        ("CrossEntropyLoss", {"weight": weight, "ignore_index": 1, "reduction": "sum"}),
        ("CrossEntropyLoss", {"label_smoothing": 0.1, "reduction": "none"}),
    ]
    return [
        pytest.param(name, options, id=f"{name}-{index}")
        for index, (name, options) in enumerate(cases)
    ]


OPTION_NAMES = ("reduction", "delta", "ignore_index", "label_smoothing")


@pytest.mark.parametrize("name, options", all_option_sets())
def test_options_are_stored_and_printed_as_in_torch(name, options):
    ours, theirs = both_modules(name, **options)
    assert repr(ours) == repr(theirs)
    for option in OPTION_NAMES:
        assert getattr(ours, option, None) == getattr(theirs, option, None)
    assert ours.training == theirs.training


@pytest.mark.parametrize("name, options", all_option_sets())
def test_state_dicts_and_buffers_match_torch(name, options):
    ours, theirs = both_modules(name, **options)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for key, value in theirs.state_dict().items():
        assert torch.equal(ours.state_dict()[key], value)
    assert [key for key, _ in ours.named_buffers()] == [key for key, _ in theirs.named_buffers()]
    assert list(ours.parameters()) == []


def test_cross_entropy_weight_is_a_buffer_in_the_state_dict():
    weight = torch.tensor([1.0, 3.0])
    loss = nn.CrossEntropyLoss(weight)
    assert loss.weight is weight
    assert list(loss.state_dict()) == ["weight"]
    assert nn.CrossEntropyLoss().weight is None
    assert list(nn.CrossEntropyLoss().state_dict()) == []


def test_cross_entropy_weight_loads_across_the_two_libraries():
    ours = nn.CrossEntropyLoss(torch.ones(3))
    theirs = torch.nn.CrossEntropyLoss(torch.tensor([0.2, 0.3, 0.5]))
    ours.load_state_dict(theirs.state_dict())
    assert torch.equal(ours.weight, theirs.weight)
    ours.weight.mul_(2)
    theirs.load_state_dict(ours.state_dict())
    assert torch.equal(theirs.weight, torch.tensor([0.4, 0.6, 1.0]))


def test_cross_entropy_weight_follows_to_like_torch():
    ours, theirs = both_modules("CrossEntropyLoss", weight=torch.tensor([1.0, 2.0]))
    ours.double()
    theirs.double()
    assert ours.weight.dtype == theirs.weight.dtype == torch.float64
    logits = torch.tensor([[0.3, -0.2]], dtype=torch.float64)
    target = torch.tensor([1])
    torch.testing.assert_close(ours(logits, target), theirs(logits, target))


def test_options_after_the_first_are_keyword_only():
    # In torch the second positional slot is the deprecated size_average, so a positional
    # call would mean something else there; here it is an error instead.
    with pytest.raises(TypeError):
        nn.MSELoss("sum")
    with pytest.raises(TypeError):
        nn.CrossEntropyLoss(None, 3)


# --- warnings and errors --------------------------------------------------------------------


@pytest.mark.parametrize("name", REGRESSION_MODULES)
def test_regression_modules_warn_on_broadcast_targets_like_torch(name):
    ours, theirs = both_modules(name)
    x, y = torch.ones(4, 1), torch.zeros(4)
    with pytest.warns(UserWarning, match="Using a target size") as our_warnings:
        ours(x, y)
    with pytest.warns(UserWarning) as torch_warnings:
        theirs(x, y)
    assert str(our_warnings[0].message) == str(torch_warnings[0].message)


@pytest.mark.parametrize("name", REGRESSION_MODULES + ["CrossEntropyLoss"])
def test_unknown_reduction_is_a_value_error_when_called_like_torch(name):
    # Neither library checks at construction; both raise on the first call.
    ours, theirs = both_modules(name, reduction="average")
    x, y = torch.zeros(2, 3), torch.tensor([0, 2])
    if name != "CrossEntropyLoss":
        y = torch.zeros(2, 3)
    error = assert_same_error(
        lambda: ours(x, y), lambda: theirs(x, y), match="average is not a valid value"
    )
    assert isinstance(error, ValueError)


@pytest.mark.parametrize("delta", [0.0, -2.0])
def test_non_positive_huber_delta_is_a_runtime_error_when_called_like_torch(delta):
    ours, theirs = both_modules("HuberLoss", delta=delta)
    x = torch.ones(3)
    error = assert_same_error(
        lambda: ours(x, x), lambda: theirs(x, x), match="non-positive values for delta"
    )
    assert isinstance(error, RuntimeError)


@pytest.mark.parametrize("label_smoothing", [1.5, -0.5])
def test_label_smoothing_outside_0_1_is_a_runtime_error_when_called(label_smoothing):
    # torch raises above 1 but accepts a negative value; see test_cross_entropy.py.
    loss = nn.CrossEntropyLoss(label_smoothing=label_smoothing)
    with pytest.raises(RuntimeError, match="label_smoothing must be between 0.0 and 1.0"):
        loss(torch.zeros(2, 3), torch.tensor([0, 1]))


def test_cross_entropy_loss_target_out_of_range_is_torchs_index_error():
    ours, theirs = both_modules("CrossEntropyLoss")
    logits, target = torch.zeros(2, 3), torch.tensor([0, 3])
    error = assert_same_error(
        lambda: ours(logits, target), lambda: theirs(logits, target), match="Target 3 is out"
    )
    assert type(error) is IndexError
