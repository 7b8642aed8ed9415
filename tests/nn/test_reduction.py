"""The reductions every loss shares: torch's three names, torch's error for any other."""

import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given

from minitorch_lr.nn import reduction
from minitorch_lr.testing import assert_same_error
from minitorch_lr.testing.loss_strategies import reductions
from minitorch_lr.testing.strategies import make_tensor, seeds, shapes


@given(shape=shapes(max_dims=3), seed=seeds, name=reductions)
def test_reduce_is_what_torchs_l1_loss_returns_for_the_same_reduction(shape, seed, name):
    # l1_loss of (x, 0) is |x| reduced: the same reduction applied to |x|.
    x = make_tensor(shape, seed)
    expected = TF.l1_loss(x, torch.zeros_like(x), reduction=name)
    torch.testing.assert_close(reduction.reduce(x.abs(), name), expected, equal_nan=True)


@pytest.mark.parametrize("name", ["avg", "Mean", "", None])
def test_an_unknown_reduction_is_torchs_value_error_with_its_message(name):
    x = torch.zeros(2)
    assert_same_error(
        lambda: reduction.check_reduction(name),
        lambda: TF.l1_loss(x, x, reduction=name),
        match=f"^{name} is not a valid value for reduction$",
    )
