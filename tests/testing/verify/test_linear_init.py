"""verify's checks of a Linear's initial values on layers that draw them wrongly: each
wrong bound is named from the largest value drawn; same bits is information only."""

import math

import pytest
import torch

from minitorch_lr.testing.verify.report import FAIL, INFO, PASS
from tests.testing.verify.helpers import Layer, broken, result_of

TARGET = "torch.nn.Linear"
INIT = "initial weight and bias"


def test_a_right_layer_passes():
    assert result_of(Layer, TARGET, INIT).status == PASS


def fill(draw):
    def init(self, in_features, out_features):
        draw(self.weight, in_features, out_features)
        if self.bias is not None:
            bound = 1 / math.sqrt(in_features)
            self.bias.uniform_(-bound, bound)

    return broken(init=init)


@pytest.mark.parametrize(
    ("draw", "cause"),
    [
        (lambda w, i, o: w.uniform_(-1 / i, 1 / i), "the bound is 1/in_features: the square root"),
        (lambda w, i, o: torch.nn.init.xavier_uniform_(w), "Xavier (Glorot) uniform"),
        (lambda w, i, o: w.uniform_(-((3 / i) ** 0.5), (3 / i) ** 0.5), "sqrt(3 / in_features)"),
        (lambda w, i, o: w.uniform_(-(o**-0.5), o**-0.5), "the bound is 1/sqrt(out_features)"),
        (lambda w, i, o: w.uniform_(-1, 1), "the draws fill U(-1, 1)"),
        (lambda w, i, o: w.uniform_(0, i**-0.5), "no negative values"),
        (lambda w, i, o: w.zero_(), "weight is all zeros"),
        (lambda w, i, o: w.normal_(0, 0.02), "looks normally distributed"),
        (lambda w, i, o: w.uniform_(-0.05, 0.05).pow_(3), "cause unknown"),
    ],
    ids=[
        "1/D",
        "xavier",
        "sqrt(3/D)",
        "fan-out",
        "unit",
        "one-sided",
        "zeros",
        "normal",
        "unknown",
    ],
)
def test_a_wrong_initial_distribution_is_diagnosed(draw, cause):
    result = result_of(fill(draw), TARGET, INIT)
    assert result.status == FAIL
    assert result.mismatch.what == "the initial weight"
    assert cause in (result.diagnosis or "cause unknown")


def test_same_bits_is_information_and_a_bias_drawn_first_differs_without_failing():
    class BiasFirst(Layer):
        def init(self, in_features, out_features):
            bound = 1 / math.sqrt(in_features)
            self.bias.uniform_(-bound, bound)
            self.weight.uniform_(-bound, bound)

    assert result_of(BiasFirst, TARGET, INIT).status == PASS
    info = result_of(BiasFirst, TARGET, "same seed")
    assert info.status == INFO
    assert info.detail.startswith("no, weight and bias differ; a correct layer")
    assert result_of(Layer, TARGET, "same seed").detail.startswith("yes")


class NamedLikeTheChapter:
    """The chapter's from-scratch layer: W of shape (in, out) and b, no weight or bias."""

    def __init__(self, in_features, out_features):
        self.W = torch.normal(0, 0.01, size=(in_features, out_features), requires_grad=True)
        self.b = torch.zeros(out_features, requires_grad=True)

    def __call__(self, x):
        return x @ self.W + self.b


def test_a_layer_without_a_weight_is_told_the_names_torch_uses():
    result = result_of(NamedLikeTheChapter, TARGET, "initial weight")
    assert result.status == FAIL
    assert result.diagnosis.startswith("no tensor named weight: torch's Linear (and verify)")
    bits = result_of(NamedLikeTheChapter, TARGET, "same seed")
    assert bits.detail.startswith("not compared: no tensor named weight")
