"""The optimizer step alone, on softmax regression's parameters."""

import pytest
import torch

import minitorch_lr.optim
from benchmarks.conftest import DEVICES
from benchmarks.models import IMPLS, SOFTMAX_LR
from minitorch_lr import scratch

# The batch size scratch.sgd divides by; the concise optimizers take a mean loss's gradient.
BATCH_SIZE = 256


def _updater(impl, params):
    if impl == "minitorch_lr":
        return minitorch_lr.optim.SGD(params, lr=SOFTMAX_LR).step
    if impl == "torch.nn":
        return torch.optim.SGD(params, lr=SOFTMAX_LR).step
    return lambda: scratch.sgd(params, SOFTMAX_LR, BATCH_SIZE)


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("device", DEVICES)
def test_sgd_step(measure, device, impl):
    generator = torch.Generator(device).manual_seed(0)
    params = []
    for shape in ((10, 784), (10,)):
        param = torch.randn(shape, generator=generator, device=device).requires_grad_()
        param.grad = torch.randn(shape, generator=generator, device=device)
        params.append(param)
    step = _updater(impl, params)

    def timed_step():
        step()
        return params[0]

    weight = measure(
        timed_step,
        case="sgd step",
        description=(
            "The optimizer step alone on a (10, 784) weight and a (10,) bias, plain SGD "
            "(torch.nn's row is torch.optim.SGD). scratch.sgd also zeroes the gradients, "
            "as its contract says, so after the first call it steps along zeros."
        ),
        device=device,
        impl=impl,
        samples=1,
        unit="steps",
    )
    assert torch.isfinite(weight).all()
