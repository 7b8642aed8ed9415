"""Trajectory helpers: one step by hand, a learner's minimal optimizer compared with
torch's, and a difference that appears only on the second step reported at that step.
(tests/optim/test_sgd.py runs them on SGD with every option, its state compared too.)"""

import pytest
import torch

from minitorch_lr.optim import SGD
from minitorch_lr.testing.optim_trajectories import (
    assert_same_trajectory,
    make_targets,
    take_step,
    trajectory,
    twin_params,
)
from tests.helpers import PlainSGD

STEPS = 6


def test_one_step_by_hand():
    # d/dp <t, tanh(p)> = t (1 - tanh(p)^2), so plain SGD moves p to p - lr t (1 - tanh^2 p).
    (start,), _ = twin_params([(2, 3)], seed=4)
    (target,) = make_targets([start], seed=104)
    (after_one, *_), *_ = trajectory(lambda params: PlainSGD(params, 0.1), [(2, 3)], 4, STEPS)
    expected = start.detach() - 0.1 * target * (1 - start.detach().tanh() ** 2)
    torch.testing.assert_close(after_one, expected)


def test_a_learners_optimizer_is_compared_on_its_parameters():
    assert_same_trajectory(
        lambda params: PlainSGD(params, 0.3),
        lambda params: torch.optim.SGD(params, lr=0.3),
        [(3,), (2, 2)],
        seed=0,
        steps=STEPS,
    )


def test_a_difference_from_the_second_step_on_is_reported_at_that_step():
    # The first step puts the gradient itself into the momentum buffer, whatever the
    # dampening; from the second step on, dampening 0.5 halves what enters it.
    with pytest.raises(AssertionError, match=r"^after step 2 of 6: parameter 0: "):
        assert_same_trajectory(
            lambda params: torch.optim.SGD(params, lr=0.1, momentum=0.9, dampening=0.5),
            lambda params: torch.optim.SGD(params, lr=0.1, momentum=0.9),
            [(3,)],
            seed=0,
            steps=STEPS,
        )


def test_take_step_returns_the_closures_loss_only_with_a_closure():
    params, _ = twin_params([(2,)], seed=1)
    targets = make_targets(params, seed=2)
    optimizer = SGD(params, lr=0.1)
    assert take_step(optimizer, params, targets, [True]) is None
    # The step calls the closure first, so its loss is the objective before the update.
    before = (targets[0] * params[0].detach().tanh()).sum()
    loss = take_step(optimizer, params, targets, [True], set_to_none=False, use_closure=True)
    torch.testing.assert_close(loss.detach(), before)
