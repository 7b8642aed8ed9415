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
