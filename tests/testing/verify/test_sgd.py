"""verify's SGD properties on broken optimizers written here: each forgotten option is
named by the torch run it matches."""

import pytest
import torch

from minitorch_lr.testing.verify.report import FAIL, PASS, SKIP
from tests.helpers import PlainSGD
from tests.testing.verify.helpers import result_of

TARGET = "torch.optim.SGD"


class Optimizer:
    """Torch's SGD for the options it is given, but with one of them ``dropped``."""

    dropped = None

    def __init__(
        self,
        params,
        lr,
        momentum=0.0,
        dampening=0.0,
        weight_decay=0.0,
        nesterov=False,
        maximize=False,
    ):
        options = {
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
        }
        options.pop(self.dropped, None)
        self.inner = torch.optim.SGD(params, lr, **options)

    def zero_grad(self):
        self.inner.zero_grad()

    def step(self):
        self.inner.step()


def dropping(option):
    return type("SGD", (Optimizer,), {"dropped": option})


@pytest.mark.parametrize(
    ("option", "cause"),
    [
        ("momentum", "with momentum=0.0: the momentum buffer is not used"),
        ("dampening", "with dampening=0.0: dampening is not applied"),
        ("nesterov", "with nesterov=False: the Nesterov step"),
        ("weight_decay", "with weight_decay=0.0: the weight decay term is missing"),
        ("maximize", "with maximize=False: maximize is not applied"),
    ],
)
def test_a_forgotten_option_is_named(option, cause):
    result = result_of(dropping(option), TARGET, f"{option}=")
    assert result.status == FAIL
    assert cause in result.diagnosis


class KeepsGradients(PlainSGD):
    def zero_grad(self):
        pass


class Ascends(PlainSGD):
    def step(self):
        with torch.no_grad():
            for param in self.params:
                param += self.lr * param.grad


class UnderAutograd(PlainSGD):
    def step(self):
        for param in self.params:
            param -= self.lr * param.grad


def test_the_chapters_plain_sgd_passes_and_skips_every_option():
    assert result_of(PlainSGD, TARGET, "plain steps").status == PASS
    assert result_of(PlainSGD, TARGET, "zero_grad").status == PASS
    skipped = result_of(PlainSGD, TARGET, "nesterov=")
    assert (skipped.status, skipped.detail) == (
        SKIP,
        "PlainSGD takes no momentum= or nesterov= argument",
    )


@pytest.mark.parametrize(
    ("piece", "name", "cause"),
    [
        (KeepsGradients, "plain steps", "the gradients pile up from step to step"),
        (KeepsGradients, "zero_grad", "zero_grad() leaves .grad as it was"),
        (Ascends, "plain steps", "the step goes up the gradient: its sign is flipped"),
        (UnderAutograd, "plain steps", "wrap it in `with torch.no_grad():`"),
    ],
    ids=["keeps-gradients", "zero-grad", "ascends", "under-autograd"],
)
def test_a_wrong_plain_sgd_is_diagnosed(piece, name, cause):
    result = result_of(piece, TARGET, name)
    assert result.status == FAIL
    assert cause in result.diagnosis
