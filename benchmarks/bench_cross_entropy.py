"""Cross-entropy forward and backward alone, on (N, 10) logits."""

import pytest
import torch

import minitorch_lr.nn
from benchmarks.conftest import DEVICES
from benchmarks.models import IMPLS
from minitorch_lr import scratch

BATCH_SIZES = (256, 8192)


def _scratch_loss(logits, labels):
    return scratch.cross_entropy(scratch.softmax(logits), labels).mean()


LOSSES = {
    "minitorch_lr": minitorch_lr.nn.CrossEntropyLoss(),
    "torch.nn": torch.nn.CrossEntropyLoss(),
    "scratch": _scratch_loss,
}


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("batch_size", BATCH_SIZES)
@pytest.mark.parametrize("device", DEVICES)
def test_cross_entropy(measure, device, batch_size, impl):
    generator = torch.Generator(device).manual_seed(0)
    logits = torch.randn((batch_size, 10), generator=generator, device=device)
    logits.requires_grad_()
    labels = torch.randint(0, 10, (batch_size,), generator=generator, device=device)
    loss = LOSSES[impl]

    def forward_backward():
        # autograd.grad, not backward: nothing accumulates into logits.grad between calls.
        (grad,) = torch.autograd.grad(loss(logits, labels), logits)
        return grad

    grad = measure(
        forward_backward,
        case="cross-entropy",
        description=(
            "Cross-entropy forward and backward alone, mean over (N, 10) logits "
            "(scratch: softmax, then minus the log of the true class's probability)."
        ),
        device=device,
        impl=impl,
        batch_size=batch_size,
        samples=batch_size,
    )
    assert torch.isfinite(grad).all()
