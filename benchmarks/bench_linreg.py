"""Linear regression 2 -> 1 on 1,000 synthetic examples, batch 10: one step, one epoch."""

import pytest
import torch

from benchmarks.conftest import DEVICES
from benchmarks.models import IMPLS, linreg_model
from minitorch_lr import chapter
from minitorch_lr.data import ArrayLoader

NUM_EXAMPLES = 1000
BATCH_SIZE = 10


def linreg_data(device):
    generator = torch.Generator(device).manual_seed(0)
    return chapter.linreg_data(NUM_EXAMPLES, device=device, generator=generator)


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("device", DEVICES)
def test_linreg_step(measure, device, impl):
    features, labels = linreg_data(device)
    X, y = features[:BATCH_SIZE], labels[:BATCH_SIZE]
    model = linreg_model(impl, device)
    batch_loss = measure(
        lambda: model.step(X, y),
        case="linreg step",
        description=(
            "One training step of linear regression 2 -> 1: forward, squared loss, "
            "backward, SGD update."
        ),
        device=device,
        impl=impl,
        batch_size=BATCH_SIZE,
        samples=BATCH_SIZE,
    )
    assert torch.isfinite(batch_loss).all()


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("device", DEVICES)
def test_linreg_epoch(measure, device, impl):
    features, labels = linreg_data(device)
    model = linreg_model(impl, device)
    generator = torch.Generator(device).manual_seed(0)
    loader = ArrayLoader((features, labels), BATCH_SIZE, shuffle=True, generator=generator)

    def epoch():
        for X, y in loader:
            batch_loss = model.step(X, y)
        return batch_loss

    batch_loss = measure(
        epoch,
        case="linreg epoch",
        description=(
            f"One epoch of linear regression: {NUM_EXAMPLES:,} examples in batches of "
            f"{BATCH_SIZE} from the same ArrayLoader for all three, the chapter's loop."
        ),
        device=device,
        impl=impl,
        batch_size=BATCH_SIZE,
        samples=NUM_EXAMPLES,
    )
    assert torch.isfinite(batch_loss).all()
