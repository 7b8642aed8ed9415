"""One epoch of minibatches: ArrayLoader against torch's DataLoader with 0 and 4 workers."""

import pytest
import torch

from benchmarks.chapter_loop import chapter_loader
from benchmarks.conftest import DEVICES
from benchmarks.models import softmax_data
from minitorch_lr.data import ArrayLoader

BATCH_SIZE = 256
DATALOADER = "DataLoader, {} workers"
BASELINE = DATALOADER.format(0)
IMPLS = ("minitorch_lr", BASELINE, DATALOADER.format(4))


def _loader(impl, device, num_examples):
    """What ``impl`` iterates over: ArrayLoader on the device, or DataLoader on the host."""
    if impl == "minitorch_lr":
        images, labels = softmax_data(num_examples, device)
        generator = torch.Generator(device).manual_seed(0)
        return ArrayLoader((images, labels), BATCH_SIZE, shuffle=True, generator=generator)
    images, labels = softmax_data(num_examples, "cpu")
    num_workers = 0 if impl == BASELINE else 4
    return chapter_loader(images, labels, BATCH_SIZE, num_workers)


# torch warns that 4 workers exceed what it suggests for a machine with fewer cores;
# 4 is the chapter's choice, and measuring what it costs is the point here.
@pytest.mark.filterwarnings("ignore:This DataLoader will create:UserWarning")
@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("device", DEVICES)
def test_data_epoch(measure, device, impl, softmax_examples):
    loader = _loader(impl, device, softmax_examples)

    def epoch():
        examples = 0
        for X, y in loader:
            # A no-op for ArrayLoader's batches, already on the device.
            X, y = X.to(device), y.to(device)
            examples += y.shape[0]
        return examples

    examples = measure(
        epoch,
        case="data epoch",
        description=(
            f"One shuffled epoch of batches of {softmax_examples:,} (1, 28, 28) images and "
            "their labels, nothing computed on them. minitorch_lr is ArrayLoader with the "
            "tensors on the device; DataLoader reads a TensorDataset in host memory and "
            "its batches are copied to the device."
        ),
        device=device,
        impl=impl,
        baseline=BASELINE,
        batch_size=BATCH_SIZE,
        samples=softmax_examples,
    )
    assert examples == softmax_examples
