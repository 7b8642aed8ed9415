"""The models the suite trains, each built three ways: minitorch_lr, torch.nn, scratch.

- ``minitorch_lr``: the chapter's concise program, :mod:`minitorch_lr.chapter`'s builders
  on ``minitorch_lr.nn`` and ``minitorch_lr.optim``.
- ``torch.nn``: the same builders on ``torch.nn`` and ``torch.optim``, the reference.
- ``scratch``: the chapter's from-scratch program, ``minitorch_lr.scratch``'s functions
  with hand-made parameters.

All three draw their parameters from a generator seeded with 0 (weights from
N(0, 0.01^2), zero bias, as in the chapter) and use the chapter's learning rates, so they
do the same arithmetic and only the way it is written differs.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

import minitorch_lr.nn
import minitorch_lr.optim
from minitorch_lr import chapter

__all__ = ["IMPLS", "SOFTMAX_LR", "Model", "linreg_model", "softmax_data", "softmax_model"]

IMPLS = ("minitorch_lr", "torch.nn", "scratch")
SOFTMAX_LR = chapter.SOFTMAX_LR
LIBRARIES = {
    "minitorch_lr": (minitorch_lr.nn, minitorch_lr.optim),
    "torch.nn": (torch.nn, torch.optim),
}


@dataclass
class Model:
    """A model ready to train: ``net(X)``, ``loss(y_hat, y)``, ``updater`` and one step.

    ``updater`` is an optimizer for the concise implementations and the chapter's
    ``updater(batch_size)`` function for scratch; ``minitorch_lr.train.train_epoch``
    takes either. ``step(X, y)`` is one training step written as the chapter writes it
    and returns the batch's loss.
    """

    net: Callable
    loss: Callable
    updater: Any
    step: Callable


def _with_step(model, concise):
    net, loss, updater = model.net, model.loss, model.updater

    def concise_step(X, y):
        batch_loss = loss(net(X), y)
        updater.zero_grad()
        batch_loss.backward()
        updater.step()
        return batch_loss

    def scratch_step(X, y):
        batch_loss = loss(net(X), y)
        batch_loss.sum().backward()
        updater(y.shape[0])
        return batch_loss

    return Model(net, loss, updater, concise_step if concise else scratch_step)


def _build(impl, device, concise_builder, scratch_builder):
    generator = torch.Generator(device).manual_seed(0)
    if impl == "scratch":
        return _with_step(scratch_builder(device=device, generator=generator), concise=False)
    if impl not in LIBRARIES:
        raise ValueError(f"no implementation named {impl!r}; choose from {IMPLS}")
    nn, optim = LIBRARIES[impl]
    model = concise_builder(nn, optim, device=device, generator=generator)
    return _with_step(model, concise=True)


def linreg_model(impl, device):
    """Linear regression 2 -> 1: ``Linear(2, 1)`` with MSE loss, or scratch's
    ``linreg`` with ``squared_loss``; SGD with learning rate 0.03."""
    return _build(impl, device, chapter.linreg_concise, chapter.linreg_scratch)


def softmax_model(impl, device):
    """Softmax regression 784 -> 10: ``Flatten`` and ``Linear(784, 10)`` with
    ``CrossEntropyLoss``, or scratch's ``softmax`` with ``cross_entropy``; SGD with
    learning rate 0.1."""
    return _build(impl, device, chapter.softmax_concise, chapter.softmax_scratch)


def softmax_data(num_examples, device):
    """Fashion-MNIST-shaped synthetic data: images (N, 1, 28, 28) with pixels uniform in
    [0, 1) and labels (N,) uniform over 10 classes, so that no download is needed."""
    generator = torch.Generator(device).manual_seed(0)
    images = torch.rand((num_examples, 1, 28, 28), generator=generator, device=device)
    labels = torch.randint(0, 10, (num_examples,), generator=generator, device=device)
    return images, labels
