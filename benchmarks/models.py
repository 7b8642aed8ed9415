"""The models the suite trains, each built three ways: minitorch_lr, torch.nn, scratch.

- ``minitorch_lr``: the chapter's concise code on ``minitorch_lr.nn`` and
  ``minitorch_lr.optim.SGD``.
- ``torch.nn``: the same lines on ``torch.nn`` and ``torch.optim.SGD``, the reference.
- ``scratch``: the chapter's from-scratch code, ``minitorch_lr.scratch``'s functions
  with hand-made parameters.

All three start from the same parameters (weights drawn from N(0, 0.01^2), zero bias, as
in the chapter) and use the chapter's learning rates, so they do the same arithmetic and
only the way it is written differs.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

import minitorch_lr.nn
import minitorch_lr.optim
from minitorch_lr import scratch

__all__ = ["IMPLS", "Model", "linreg_model", "softmax_model", "softmax_data"]

IMPLS = ("minitorch_lr", "torch.nn", "scratch")
LINREG_LR = 0.03
SOFTMAX_LR = 0.1


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


def _concise(nn, optim, layers, loss, lr):
    net = nn.Sequential(*layers)
    linear = net[-1]
    generator = torch.Generator(linear.weight.device).manual_seed(0)
    nn.init.normal_(linear.weight, std=0.01, generator=generator)
    nn.init.zeros_(linear.bias)
    optimizer = optim.SGD(net.parameters(), lr=lr)

    def step(X, y):
        batch_loss = loss(net(X), y)
        optimizer.zero_grad()
        batch_loss.backward()
        optimizer.step()
        return batch_loss

    return Model(net, loss, optimizer, step)


def _scratch(forward, loss, in_features, out_features, lr, device):
    generator = torch.Generator(device).manual_seed(0)
    W = torch.normal(0.0, 0.01, (in_features, out_features), generator=generator, device=device)
    W.requires_grad_()
    b = torch.zeros(out_features, device=device, requires_grad=True)

    def net(X):
        return forward(X, W, b)

    def updater(batch_size):
        scratch.sgd([W, b], lr, batch_size)

    def step(X, y):
        batch_loss = loss(net(X), y)
        batch_loss.sum().backward()
        updater(y.shape[0])
        return batch_loss

    return Model(net, loss, updater, step)


def _library(impl):
    if impl == "minitorch_lr":
        return minitorch_lr.nn, minitorch_lr.optim
    if impl == "torch.nn":
        return torch.nn, torch.optim
    raise ValueError(f"no concise implementation named {impl!r}")


def linreg_model(impl, device):
    """Linear regression 2 -> 1: ``Linear(2, 1)`` with MSE loss, or scratch's
    ``linreg`` with ``squared_loss``; SGD with learning rate 0.03."""
    if impl == "scratch":
        return _scratch(scratch.linreg, scratch.squared_loss, 2, 1, LINREG_LR, device)
    nn, optim = _library(impl)
    return _concise(nn, optim, [nn.Linear(2, 1, device=device)], nn.MSELoss(), LINREG_LR)


def _softmax_forward(X, W, b):
    return scratch.softmax(X.reshape((-1, W.shape[0])) @ W + b)


def softmax_model(impl, device):
    """Softmax regression 784 -> 10: ``Flatten`` and ``Linear(784, 10)`` with
    ``CrossEntropyLoss``, or scratch's ``softmax`` with ``cross_entropy``; SGD with
    learning rate 0.1."""
    if impl == "scratch":
        return _scratch(_softmax_forward, scratch.cross_entropy, 784, 10, SOFTMAX_LR, device)
    nn, optim = _library(impl)
    layers = [nn.Flatten(), nn.Linear(784, 10, device=device)]
    return _concise(nn, optim, layers, nn.CrossEntropyLoss(), SOFTMAX_LR)


def softmax_data(num_examples, device):
    """Fashion-MNIST-shaped synthetic data: images (N, 1, 28, 28) with pixels uniform in
    [0, 1) and labels (N,) uniform over 10 classes, so that no download is needed."""
    generator = torch.Generator(device).manual_seed(0)
    images = torch.rand((num_examples, 1, 28, 28), generator=generator, device=device)
    labels = torch.randint(0, 10, (num_examples,), generator=generator, device=device)
    return images, labels
