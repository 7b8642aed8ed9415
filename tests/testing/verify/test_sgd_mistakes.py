"""The mistakes verify diagnoses a learner's SGD with: each mistake's run is what it says
it is, and torch's own run matches none of them."""

import pytest
import torch

from minitorch_lr.testing.verify.sgd_mistakes import (
    DecoupledDecay,
    diagnose,
    keeps_an_iterator,
    run_torch,
)

SHAPES = [(2, 3), (3,)]


def test_decoupled_decay_is_torchs_sgd_without_momentum_and_differs_with_it():
    # Without a buffer, p - lr * (g + wd * p) is the same update either way.
    plain = {"lr": 0.1, "weight_decay": 0.1}
    ours = run_torch(SHAPES, 0, plain, 5, mistake=DecoupledDecay)
    theirs = run_torch(SHAPES, 0, plain, 5)
    for our_step, their_step in zip(ours, theirs):
        for our_param, their_param in zip(our_step, their_step):
            torch.testing.assert_close(our_param, their_param)
    with_momentum = {**plain, "momentum": 0.9}
    ours = run_torch(SHAPES, 0, with_momentum, 5, mistake=DecoupledDecay)
    theirs = run_torch(SHAPES, 0, with_momentum, 5)
    assert not torch.allclose(ours[-1][0], theirs[-1][0])


@pytest.mark.parametrize(
    "hyperparameters",
    [
        {"lr": 0.1},
        {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.1},
        {"lr": 0.5, "momentum": 0.5, "dampening": 0.1, "maximize": True},
    ],
)
def test_torchs_own_run_matches_no_mistake(hyperparameters):
    ours = run_torch(SHAPES, 3, hyperparameters, 10)
    assert diagnose(ours, SHAPES, 3, hyperparameters) is None


class KeepsAGenerator:
    def __init__(self, params, lr):
        self.params = params


class KeepsAList:
    def __init__(self, params, lr):
        self.params = list(params)


class Refuses:
    def __init__(self, params, lr):
        raise ValueError("no")


@pytest.mark.parametrize(
    ("piece", "keeps"), [(KeepsAGenerator, True), (KeepsAList, False), (Refuses, False)]
)
def test_keeps_an_iterator_looks_at_what_the_optimizer_stores(piece, keeps):
    assert keeps_an_iterator(piece) is keeps
