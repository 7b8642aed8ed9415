"""A function given something that is not a tensor raises torch's TypeError, naming the
function, the argument and its position, as torch's C++ functions do."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

from minitorch_lr import nn
from minitorch_lr.nn import functional as F
from minitorch_lr.nn.tensor_arguments import check_tensor
from minitorch_lr.testing import assert_same_error

CALLS = {
    "linear-numpy": lambda lib: lib.linear(np.ones((3, 2), np.float32), torch.ones(1, 2)),
    "linear-list-weight": lambda lib: lib.linear(torch.ones(3, 2), [[1.0, 2.0]]),
    "cross-entropy-list-target": lambda lib: lib.cross_entropy(torch.randn(2, 3), [0, 1]),
    "cross-entropy-list-input": lambda lib: lib.cross_entropy([[0.0, 1.0]], torch.tensor([0])),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_a_non_tensor_argument_is_torchs_type_error_with_torchs_message(call):
    error = assert_same_error(lambda: call(F), lambda: call(TF))
    with pytest.raises(TypeError) as ours:
        call(F)
    assert str(ours.value) == str(error)


def test_a_layer_called_on_a_numpy_array_raises_torchs_type_error():
    array = np.ones((3, 2), np.float32)
    assert_same_error(lambda: nn.Linear(2, 1)(array), lambda: torch.nn.Linear(2, 1)(array))


def test_check_tensor_passes_a_tensor_and_a_parameter():
    check_tensor(torch.ones(1), "f", "input", 1)
    check_tensor(nn.Parameter(torch.ones(1)), "f", "input", 1)
