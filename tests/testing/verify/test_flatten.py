"""verify's Flatten properties on broken layers written here."""

import pytest
import torch

from minitorch_lr.testing.verify.report import FAIL, PASS, SKIP
from tests.testing.verify.helpers import result_of

TARGET = "torch.nn.Flatten"
DEFAULT = "forward and backward equal torch's (start_dim=1"


class FlattenAll:
    def __call__(self, x):
        return x.reshape(-1)


class FixedFlatten:
    """Takes start_dim and end_dim, and ignores them."""

    def __init__(self, start_dim=1, end_dim=-1):
        pass

    def __call__(self, x):
        return x.reshape(x.shape[0], -1)


class TransposedFlatten:
    def __call__(self, x):
        return x.transpose(-1, -2).reshape(x.shape[0], -1)


def test_torchs_flatten_passes_and_a_flatten_without_options_skips_them():
    assert {
        result_of(torch.nn.Flatten, TARGET, name).status for name in ("forward", "start", "end")
    } == {PASS}
    skipped = result_of(FlattenAll, TARGET, "start_dim=")
    assert (skipped.status, skipped.detail) == (SKIP, "FlattenAll takes no start_dim= argument")


@pytest.mark.parametrize(
    ("piece", "name", "cause"),
    [
        (FlattenAll, DEFAULT, "the batch dim is flattened too"),
        (FixedFlatten, "start_dim=", "start_dim and end_dim are ignored"),
        (TransposedFlatten, DEFAULT, "a transpose before the reshape"),
    ],
)
def test_a_wrong_flatten_is_diagnosed(piece, name, cause):
    result = result_of(piece, TARGET, name)
    assert result.status == FAIL
    assert cause in result.diagnosis
