"""Small training problems shared by the tests of the loop, the metrics and predict:
float64 batches to classify or regress, a torch.nn linear model, and the epoch written
out step by step as the reference."""

import math

import torch
import torch.nn.functional as F

import minitorch_lr.nn
from minitorch_lr.optim import SGD
from minitorch_lr.testing.strategies import make_tensor

REDUCTIONS = ["mean", "sum", "none"]


LIBRARIES = {"minitorch_lr": (minitorch_lr.nn, SGD), "torch": (torch.nn, torch.optim.SGD)}


LR = 0.1


NUM_FEATURES = 4


NUM_CLASSES = 3


def make_batches(task, seed, num_examples, batch_size):
    """A list of (X, y) batches, float64: labels in [0, C) or regression targets (N, 1)."""
    X = make_tensor((num_examples, NUM_FEATURES), seed)
    generator = torch.Generator().manual_seed(seed)
    if task == "classify":
        y = torch.randint(0, NUM_CLASSES, (num_examples,), generator=generator)
    else:
        y = torch.randn((num_examples, 1), generator=generator, dtype=torch.float64)
    return [
        (X[start : start + batch_size], y[start : start + batch_size])
        for start in range(0, num_examples, batch_size)
    ]


def make_model(task, seed):
    torch.manual_seed(seed)
    out_features = NUM_CLASSES if task == "classify" else 1
    return torch.nn.Linear(NUM_FEATURES, out_features).double()


def per_example_loss(task, output, y):
    if task == "classify":
        return F.cross_entropy(output, y, reduction="none")
    return F.mse_loss(output, y, reduction="none").reshape(-1)


def loss_module(task, reduction, nn=torch.nn):
    if task == "classify":
        return nn.CrossEntropyLoss(reduction=reduction)
    return nn.MSELoss(reduction=reduction)


def reference_epoch(task, model, batches, step_scale):
    """One epoch written out: theta -= LR * step_scale(B) * grad(mean per-example loss).

    Returns the parameters after the epoch, the mean per-example loss (each computed
    before its step) and the accuracy.
    """
    weight, bias = (param.detach().clone().requires_grad_() for param in model.parameters())
    loss_total, correct, count = 0.0, 0, 0
    for X, y in batches:
        output = F.linear(X, weight, bias)
        losses = per_example_loss(task, output, y)
        grads = torch.autograd.grad(losses.mean(), (weight, bias))
        with torch.no_grad():
            for param, grad in zip((weight, bias), grads):
                param -= LR * step_scale(len(y)) * grad
        loss_total += losses.sum().item()
        count += len(y)
        if task == "classify":
            correct += (output.argmax(dim=1) == y).sum().item()
        else:
            correct += (output.to(y.dtype) == y).sum().item()
    return [weight.detach(), bias.detach()], loss_total / count, correct / count


def assert_epoch_matches(model, result, expected):
    params, loss, acc = expected
    for param, expected_param in zip(model.parameters(), params):
        torch.testing.assert_close(param.detach(), expected_param)
    assert math.isclose(result[0], loss, rel_tol=1e-12)
    assert result[1] == acc
