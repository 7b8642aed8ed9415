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


class DecoupledDecay(PlainSGD):
    """Momentum and weight decay, the decay kept out of the buffer (as AdamW does)."""

    def __init__(self, params, lr, momentum=0.0, weight_decay=0.0):
        super().__init__(params, lr)
        self.momentum, self.weight_decay = momentum, weight_decay
        self.buffers = [None] * len(self.params)

    def step(self):
        with torch.no_grad():
            for index, param in enumerate(self.params):
                buffer = self.buffers[index]
                if buffer is None:
                    buffer = param.grad.clone()
                else:
                    buffer = self.momentum * buffer + param.grad
                self.buffers[index] = buffer
                param -= self.lr * (buffer + self.weight_decay * param)


def test_weight_decay_outside_the_momentum_buffer_passes_each_option_alone_but_not_both():
    # Each option alone is torch's: with no momentum the buffer is the gradient itself.
    assert result_of(DecoupledDecay, TARGET, "momentum=").status == PASS
    assert result_of(DecoupledDecay, TARGET, "weight_decay=").status == PASS
    result = result_of(DecoupledDecay, TARGET, "together")
    assert result.status == FAIL
    assert "the weight decay is applied outside the momentum buffer" in result.diagnosis


class KeepsWhatItIsGiven(PlainSGD):
    """Stores ``params`` as given, as the chapter's optimizer class does."""

    def __init__(self, params, lr):
        self.params, self.lr = params, lr


class Rebinds(PlainSGD):
    def step(self):
        with torch.no_grad():
            for param in self.params:
                param = param - self.lr * param.grad  # the mistake: a new tensor, named param


class ZeroesNone(PlainSGD):
    def zero_grad(self):
        for param in self.params:
            param.grad.zero_()


class KeywordOnlyLr(PlainSGD):
    def __init__(self, params, *, lr):
        super().__init__(params, lr)


def test_an_optimizer_that_keeps_a_generator_passes_with_a_list_and_is_told_to_store_a_list():
    assert result_of(KeepsWhatItIsGiven, TARGET, "plain steps").status == PASS
    result = result_of(KeepsWhatItIsGiven, TARGET, "params given as a generator")
    assert result.status == FAIL
    assert "store list(params)" in result.diagnosis


@pytest.mark.parametrize("name", ["plain steps", "params given as a generator"])
def test_parameters_that_never_move_are_named_as_such_not_blamed_on_the_generator(name):
    result = result_of(Rebinds, TARGET, name)
    assert result.status == FAIL
    assert result.diagnosis.startswith("the parameters never move: step() must change")


def test_zeroing_a_gradient_that_is_none_is_explained():
    result = result_of(ZeroesNone, TARGET, "plain steps")
    assert (result.status, result.mismatch.what) == (FAIL, "your piece raised an error")
    assert "zero it only where p.grad is not None" in result.diagnosis


def test_lr_is_passed_by_keyword_as_torch_takes_it():
    assert result_of(KeywordOnlyLr, TARGET, "plain steps").status == PASS
    assert result_of(KeywordOnlyLr, TARGET, "zero_grad").status == PASS


class MakesAGenerator(PlainSGD):
    def __init__(self, params, lr):
        self.params, self.lr = (param for param in params), lr


def test_an_optimizer_that_makes_its_own_generator_is_told_to_store_a_list_even_given_one():
    result = result_of(MakesAGenerator, TARGET, "plain steps")
    assert result.status == FAIL
    assert "keeps an iterator of them" in result.diagnosis
    assert "store list(params)" in result.diagnosis


def decaying_by(factor):
    """Torch's SGD with the weight decay it is given scaled by ``factor``."""

    class SGD(Optimizer):
        def __init__(self, params, lr, weight_decay=0.0):
            super().__init__(params, lr, weight_decay=factor * weight_decay)

    return SGD


@pytest.mark.parametrize(
    ("factor", "cause"),
    [(0.5, "the term added is weight_decay / 2 * param"), (2.0, "the term added is 2 * weight")],
    ids=["half", "double"],
)
def test_a_weight_decay_off_by_a_factor_2_is_named(factor, cause):
    result = result_of(decaying_by(factor), TARGET, "weight_decay=")
    assert result.status == FAIL
    assert cause in result.diagnosis
