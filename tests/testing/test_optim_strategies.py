"""The optimizer strategies draw what SGD accepts, and trajectories of the asked length."""

import torch
from hypothesis import given

from minitorch_lr.optim import SGD
from minitorch_lr.testing.optim_strategies import sgd_hyperparameters, trajectories


@given(hyperparameters=sgd_hyperparameters())
def test_sgd_hyperparameters_are_accepted_by_torchs_sgd(hyperparameters):
    weight = torch.zeros(1, requires_grad=True)
    torch.optim.SGD([weight], **hyperparameters)
    SGD([weight], **hyperparameters)


@given(trajectory=trajectories(5))
def test_a_trajectory_says_for_every_step_which_parameters_have_a_gradient(trajectory):
    shape_list, _, present = trajectory
    assert len(present) == 5 and all(len(step) == len(shape_list) for step in present)
