"""Small helpers shared by the equivalence tests."""

import pytest
import torch

__all__ = ["DEVICES", "DTYPES", "assert_same_error", "requires_cuda"]

requires_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")

# The cuda cases carry the `cuda` mark too, so that `pytest -m cuda` selects them.
DEVICES = [pytest.param("cpu"), pytest.param("cuda", marks=[pytest.mark.cuda, requires_cuda])]
DTYPES = [torch.float32, torch.float64]


def assert_same_error(ours, theirs, match=None):
    """Both callables raise, and ours raises an exception of torch's type (or a subclass).

    ``theirs`` runs first, so a test cannot pass because the torch call was wrongly
    expected to fail.
    """
    with pytest.raises(Exception) as torch_error:
        theirs()
    with pytest.raises(type(torch_error.value), match=match):
        ours()
    return torch_error.value
