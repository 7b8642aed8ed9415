"""Module.to, float, double, cpu and cuda against torch.nn.Module's: the accepted forms,
dtypes and devices, and the identity of every parameter kept through a conversion."""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr import nn
from minitorch_lr.testing import assert_same_error
from minitorch_lr.testing.strategies import module_trees, seeds
from tests.helpers import both_trees, requires_cuda


@given(spec=module_trees(), seed=seeds, dtype=st.sampled_from([torch.float64, torch.float32]))
def test_to_dtype_keeps_each_parameter_object(spec, seed, dtype):
    ours, theirs = both_trees(spec, seed)
    before = list(ours.parameters())
    assert ours.to(dtype) is ours
    theirs.to(dtype)
    after = list(ours.parameters())
    assert all(a is b for a, b in zip(before, after))
    for mine, reference in zip(after, theirs.parameters()):
        assert type(mine) is nn.Parameter and mine.dtype == dtype
        assert torch.equal(mine, reference)


def test_float_and_double_convert_gradients_too():
    layer = nn.Linear(2, 1)
    layer(torch.ones(1, 2)).sum().backward()
    weight = layer.weight
    assert layer.double() is layer and layer.weight is weight
    assert weight.dtype == weight.grad.dtype == torch.float64
    assert layer.float().weight.dtype == torch.float32


def test_to_an_integer_dtype_is_a_type_error_like_torch():
    assert_same_error(
        lambda: nn.Linear(2, 1).to(torch.int64), lambda: torch.nn.Linear(2, 1).to(torch.int64)
    )


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("cpu",), {}),
        ((torch.float64,), {}),
        (("cpu", torch.float64), {}),
        (("cpu", torch.float64, False), {}),
        ((), {"device": "cpu", "dtype": torch.float64}),
        ((torch.ones(1, dtype=torch.float64),), {}),
        ((torch.float64, "cpu"), {}),
        ((torch.float64,), {"dtype": torch.float32}),
    ],
    ids=[
        "device",
        "dtype",
        "device-dtype",
        "non-blocking",
        "keywords",
        "tensor",
        "dtype-then-device",
        "dtype-twice",
    ],
)
def test_to_accepts_torchs_forms_and_rejects_the_rest_like_torch(args, kwargs):
    ours, theirs = nn.Linear(2, 1), torch.nn.Linear(2, 1)
    try:
        theirs.to(*args, **kwargs)
    except TypeError:
        with pytest.raises(TypeError):
            ours.to(*args, **kwargs)
        return
    ours.to(*args, **kwargs)
    assert ours.weight.dtype == theirs.weight.dtype
    assert ours.weight.device == theirs.weight.device


@requires_cuda
@pytest.mark.parametrize("device", [None, 0, "cuda:0", torch.device("cuda", 0)])
def test_cuda_accepts_an_index_a_name_or_a_device(device):
    layer = nn.Linear(2, 1)
    weight = layer.weight
    assert layer.cuda(device) is layer and layer.weight is weight
    assert layer.weight.device.type == "cuda"


@pytest.mark.parametrize("method", ["half", "bfloat16", "float", "double"])
@given(spec=module_trees(), seed=seeds)
def test_half_bfloat16_float_double_cast_like_torch_keeping_each_parameter(spec, seed, method):
    ours, theirs = both_trees(spec, seed)
    before = list(ours.parameters())
    assert getattr(ours, method)() is ours
    getattr(theirs, method)()
    for mine, reference, old in zip(ours.parameters(), theirs.parameters(), before):
        assert mine is old and type(mine) is nn.Parameter
        assert mine.dtype == reference.dtype
        assert torch.equal(mine, reference)


def test_casts_leave_integer_buffers_alone_like_torch():
    ours, theirs = nn.Module(), torch.nn.Module()
    for module in (ours, theirs):
        module.register_buffer("count", torch.arange(3))
        module.register_buffer("scale", torch.ones(2))
        module.half()
    assert ours.count.dtype == theirs.count.dtype == torch.int64
    assert ours.scale.dtype == theirs.scale.dtype == torch.float16


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [(("cpu",), {"copy": True}), (("cpu",), {"copy": False}), (("cpu", None, False, True), {})],
    ids=["copy", "copy-false", "copy-positional"],
)
def test_to_refuses_copy_with_torchs_runtime_error(args, kwargs):
    assert_same_error(
        lambda: nn.Linear(2, 1).to(*args, **kwargs),
        lambda: torch.nn.Linear(2, 1).to(*args, **kwargs),
        match="does not accept copy argument",
    )


def test_to_applies_a_memory_format_to_4d_tensors_only_like_torch():
    ours, theirs = nn.Linear(2, 1), torch.nn.Linear(2, 1)
    for module in (ours, theirs):
        module.register_buffer("images", torch.zeros(2, 3, 4, 5))
        module.to(memory_format=torch.channels_last)
    assert ours.images.is_contiguous(memory_format=torch.channels_last)
    assert ours.images.stride() == theirs.images.stride()
    assert ours.weight.stride() == theirs.weight.stride()
