"""Training problems shared by the tests of the static epoch, the CUDA-graph epoch and
their checks: float64 data, a linear model and an SGD of either library, and snapshots
that prove a refused call changed nothing."""

import pytest
import torch

import minitorch_lr.nn
from minitorch_lr.optim import SGD
from minitorch_lr.testing.strategies import make_tensor
from minitorch_lr.train.graph import GraphedEpoch
from minitorch_lr.train.static_epoch import StaticEpoch
from tests.helpers import requires_cuda

LIBRARIES = {"minitorch_lr": (minitorch_lr.nn, SGD), "torch": (torch.nn, torch.optim.SGD)}


REDUCTIONS = ["mean", "sum", "none"]


NUM_FEATURES = 4


NUM_CLASSES = 3


NUM_EPOCHS = 3  # a GraphedEpoch's first epoch is eager; the next two are replays


# Each epoch class with the device it is tested on.
EPOCHS = [
    pytest.param(StaticEpoch, "cpu", id="static-cpu"),
    pytest.param(GraphedEpoch, "cuda", id="graphed-cuda", marks=requires_cuda),
]


def make_data(task, seed, num_examples, device="cpu", dtype=torch.float64):
    """(features, labels): labels in [0, C) to classify, (N, 1) targets to regress."""
    features = make_tensor((num_examples, NUM_FEATURES), seed, dtype=dtype, device=device)
    generator = torch.Generator().manual_seed(seed)
    if task == "classify":
        labels = torch.randint(0, NUM_CLASSES, (num_examples,), generator=generator)
    else:
        labels = torch.randn((num_examples, 1), generator=generator, dtype=dtype)
    return features, labels.to(device)


def make_model(library, task, seed, hyperparameters, device="cpu", dtype=torch.float64):
    """A linear model from ``seed`` and an SGD of ``library`` over its parameters."""
    nn, optimizer_class = LIBRARIES[library]
    out_features = NUM_CLASSES if task == "classify" else 1
    torch.manual_seed(seed)
    net = nn.Linear(NUM_FEATURES, out_features, device=device, dtype=dtype)
    return net, optimizer_class(net.parameters(), **hyperparameters)


def make_loss(library, task, reduction):
    nn = LIBRARIES[library][0]
    if task == "classify":
        return nn.CrossEntropyLoss(reduction=reduction)
    return nn.MSELoss(reduction=reduction)


def generator_on(device, seed):
    return torch.Generator(device).manual_seed(seed)


def assert_same_training_state(net, optimizer, reference, reference_optimizer):
    """Parameters, their gradients and the optimizer state (momentum buffers) match."""
    for param, expected in zip(net.parameters(), reference.parameters()):
        torch.testing.assert_close(param.detach(), expected.detach())
        torch.testing.assert_close(param.grad, expected.grad)
    state = optimizer.state_dict()["state"]
    expected_state = reference_optimizer.state_dict()["state"]
    assert state.keys() == expected_state.keys()
    for index, entries in state.items():
        torch.testing.assert_close(entries, expected_state[index])


def snapshot(net, optimizer, generator):
    return (
        [param.detach().clone() for param in net.parameters()],
        [param.grad for param in net.parameters()],
        optimizer.state_dict()["state"],
        generator.get_state(),
    )


def assert_untouched(before, net, optimizer, generator):
    """Nothing changed since ``snapshot``: no step, no gradient, no state, no draw."""
    params, grads, state, generator_state = before
    for param, old in zip(net.parameters(), params):
        assert torch.equal(param.detach(), old)
    assert [param.grad for param in net.parameters()] == grads
    assert optimizer.state_dict()["state"] == state
    assert torch.equal(generator.get_state(), generator_state)
