"""Module.load_state_dict's checks against torch's: missing, unexpected and mismatched
entries, reported in one error, with nothing copied when the load fails."""

import pytest
import torch

from minitorch_lr import nn
from minitorch_lr.testing import assert_same_error


def test_load_state_dict_names_missing_and_unexpected_keys_in_one_error():
    ours, theirs = nn.Linear(2, 2), torch.nn.Linear(2, 2)
    bad = {"weight": torch.ones(2, 2), "extra": torch.ones(1)}
    error = assert_same_error(
        lambda: ours.load_state_dict(bad), lambda: theirs.load_state_dict(bad)
    )
    with pytest.raises(RuntimeError) as ours_error:
        ours.load_state_dict(bad)
    assert '"bias"' in str(ours_error.value) and '"extra"' in str(ours_error.value)
    assert str(ours_error.value) == str(error)


def test_non_strict_load_reports_the_keys_like_torch():
    ours, theirs = nn.Linear(2, 2), torch.nn.Linear(2, 2)
    partial = {"weight": torch.ones(2, 2), "extra": torch.ones(1)}
    result = ours.load_state_dict(partial, strict=False)
    expected = theirs.load_state_dict(partial, strict=False)
    assert result.missing_keys == expected.missing_keys == ["bias"]
    assert result.unexpected_keys == expected.unexpected_keys == ["extra"]
    assert torch.equal(ours.weight, torch.ones(2, 2))


@pytest.mark.parametrize("strict", [True, False])
def test_a_size_mismatch_is_an_error_and_changes_nothing(strict):
    layer = nn.Linear(2, 2)
    before = {key: value.clone() for key, value in layer.state_dict().items()}
    # The first entry fits, the second does not: nothing may be copied.
    bad = {"weight": torch.zeros(2, 2), "bias": torch.zeros(3)}
    assert_same_error(
        lambda: layer.load_state_dict(bad, strict=strict),
        lambda: torch.nn.Linear(2, 2).load_state_dict(bad, strict=strict),
        match="size mismatch for bias",
    )
    for key, value in layer.state_dict().items():
        assert torch.equal(value, before[key])


def test_a_load_where_every_key_matched_prints_as_torchs_does():
    ours, theirs = nn.Linear(2, 1), torch.nn.Linear(2, 1)
    result = ours.load_state_dict(theirs.state_dict())
    expected = theirs.load_state_dict(theirs.state_dict())
    assert repr(result) == str(result) == repr(expected) == "<All keys matched successfully>"
    partial = {"weight": torch.zeros(1, 2)}
    # Otherwise the named tuple's own repr; torch's class carries a leading underscore.
    expected = "IncompatibleKeys(missing_keys=['bias'], unexpected_keys=[])"
    assert repr(ours.load_state_dict(partial, strict=False)) == expected
    assert repr(theirs.load_state_dict(partial, strict=False)) == "_" + expected
    assert result == ([], [])  # still the named tuple (missing_keys, unexpected_keys)


@pytest.mark.parametrize("requires_grad", [True, False])
def test_assign_makes_the_loaded_tensors_the_parameters_like_torch(requires_grad):
    state = {"weight": torch.ones(1, 2), "bias": torch.full((1,), 3.0)}
    ours = nn.Linear(2, 1).requires_grad_(requires_grad)
    theirs = torch.nn.Linear(2, 1).requires_grad_(requires_grad)
    ours.load_state_dict(state, assign=True)
    theirs.load_state_dict(state, assign=True)
    for name, tensor in state.items():
        mine, reference = getattr(ours, name), getattr(theirs, name)
        assert type(mine) is nn.Parameter
        assert mine.requires_grad == reference.requires_grad == requires_grad
        # Assigned, not copied: the module now shares the loaded tensor's storage.
        assert mine.data_ptr() == reference.data_ptr() == tensor.data_ptr()
    assert [name for name, _ in ours.named_parameters()] == ["weight", "bias"]


def test_assign_takes_buffers_as_they_are_and_checks_shapes_first():
    ours = nn.CrossEntropyLoss(weight=torch.ones(3))
    new_weight = torch.tensor([1.0, 2.0, 3.0])
    ours.load_state_dict({"weight": new_weight}, assign=True)
    assert ours.weight is new_weight
    layer = nn.Linear(2, 1)
    before = layer.weight
    with pytest.raises(RuntimeError, match="size mismatch for bias"):
        layer.load_state_dict({"weight": torch.ones(1, 2), "bias": torch.ones(2)}, assign=True)
    assert layer.weight is before
