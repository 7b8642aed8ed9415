"""Trajectory helpers: one step by hand, equal optimizers pass, a difference that appears
only on the second step is reported at that step, and a learner's minimal optimizer fits."""

import pytest
import torch
from hypothesis import given

from minitorch_lr.optim import SGD
from minitorch_lr.testing.optim_strategies import sgd_hyperparameters, trajectories
from minitorch_lr.testing.optim_trajectories import (
    assert_same_state,
    assert_same_trajectory,
    make_targets,
    take_step,
    trajectory,
    twin_params,
)

STEPS = 6


class PlainSGD:
    """The chapter's update, as a learner writes it: zero_grad takes no argument."""

    def __init__(self, params, lr):
        self.params, self.lr = list(params), lr

    def zero_grad(self):
        for param in self.params:
            param.grad = None

    def step(self):
        with torch.no_grad():
            for param in self.params:
                param -= self.lr * param.grad


def test_one_step_by_hand():
    # d/dp <t, tanh(p)> = t (1 - tanh(p)^2), so plain SGD moves p to p - lr t (1 - tanh^2 p).
    (start,), _ = twin_params([(2, 3)], seed=4)
    (target,) = make_targets([start], seed=104)
    (after_one, *_), *_ = trajectory(lambda params: PlainSGD(params, 0.1), [(2, 3)], 4, STEPS)
    expected = start.detach() - 0.1 * target * (1 - start.detach().tanh() ** 2)
    torch.testing.assert_close(after_one, expected)


@given(hyperparameters=sgd_hyperparameters(), case=trajectories(STEPS))
def test_equal_optimizers_pass_with_their_state_compared(hyperparameters, case):
    shape_list, seed, present = case
    assert_same_trajectory(
        lambda params: SGD(params, **hyperparameters),
        lambda params: torch.optim.SGD(params, **hyperparameters),
        shape_list,
        seed,
        STEPS,
        present,
        set_to_none=True,
        compare=assert_same_state,
    )


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
