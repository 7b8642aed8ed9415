"""Softmax regression 784 -> 10 on Fashion-MNIST-shaped synthetic data: step and epoch."""

import math

import pytest
import torch

from benchmarks.conftest import DEVICES
from benchmarks.models import IMPLS, softmax_data, softmax_model
from minitorch_lr.data import ArrayLoader
from minitorch_lr.train import train_epoch
from minitorch_lr.train.graph import GraphedEpoch

BATCH_SIZES = (256, 1024, 8192)

requires_cuda = pytest.mark.skipif(
    not torch.cuda.is_available(), reason="needs a CUDA device: torch.cuda.is_available() is False"
)


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("batch_size", BATCH_SIZES)
@pytest.mark.parametrize("device", DEVICES)
def test_softmax_step(measure, device, batch_size, impl):
    images, labels = softmax_data(batch_size, device)
    model = softmax_model(impl, device)
    batch_loss = measure(
        lambda: model.step(images, labels),
        case="softmax step",
        description=(
            "One training step of softmax regression 784 -> 10: forward, cross-entropy, "
            "backward, SGD update. minitorch_lr against torch.nn here is the eager "
            "training step."
        ),
        device=device,
        impl=impl,
        batch_size=batch_size,
        samples=batch_size,
    )
    assert torch.isfinite(batch_loss).all()


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("batch_size", BATCH_SIZES)
@pytest.mark.parametrize("device", DEVICES)
def test_softmax_epoch(measure, device, batch_size, impl, softmax_examples):
    images, labels = softmax_data(softmax_examples, device)
    model = softmax_model(impl, device)
    generator = torch.Generator(device).manual_seed(0)
    loader = ArrayLoader((images, labels), batch_size, shuffle=True, generator=generator)
    train_loss, _ = measure(
        lambda: train_epoch(model.net, loader, model.loss, model.updater),
        case="softmax epoch",
        description=(
            f"One epoch of softmax regression over {softmax_examples:,} examples: "
            "minitorch_lr.train.train_epoch over the same ArrayLoader for all three, so "
            "only the model, the loss and the update differ."
        ),
        device=device,
        impl=impl,
        batch_size=batch_size,
        samples=softmax_examples,
    )
    assert math.isfinite(train_loss)


@requires_cuda
@pytest.mark.cuda
@pytest.mark.parametrize("impl", ["minitorch_lr", "torch.nn"])
def test_softmax_epoch_cuda_graph(measure, impl, softmax_examples):
    """The same epoch recorded once as a CUDA graph and replayed (``train(cuda_graph=True)``),
    in the "softmax epoch" group so that its ratio is to torch.nn's eager epoch."""
    device, batch_size = "cuda", 256
    images, labels = softmax_data(softmax_examples, device)
    model = softmax_model(impl, device)
    generator = torch.Generator(device).manual_seed(0)
    epoch = GraphedEpoch(
        model.net, model.loss, model.updater, images, labels, batch_size, generator=generator
    )
    train_loss, _ = measure(
        epoch,
        case="softmax epoch",
        description=(
            f"One epoch of softmax regression over {softmax_examples:,} examples, recorded "
            "as a CUDA graph on the first (untimed) call and replayed after."
        ),
        device=device,
        impl=f"{impl} + CUDA graph",
        batch_size=batch_size,
        samples=softmax_examples,
    )
    assert math.isfinite(train_loss)
