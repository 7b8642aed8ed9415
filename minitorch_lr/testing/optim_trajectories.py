r"""Optimizer trajectories: N steps of two optimizers from the same start, compared after
every step.

One step of an optimizer is hard to get wrong in a way one step shows: a momentum
buffer, a dampening term or a Nesterov look-ahead only matters from the second step on.
So both optimizers run the same objective from equal parameters, and the parameters
(and whatever else a test asks, e.g. :func:`assert_same_state`) are compared after each
step; a failure names the step.

The objective is

.. math:: f(p) = \sum_i \langle t_i, \tanh(p_i) \rangle,

with fixed random targets :math:`t_i`. Its gradient :math:`t_i (1 - \tanh^2 p_i)` is never
larger than the target, so even ``maximize`` stays finite and every step's comparison
means something. A trajectory may leave some parameters out of the objective on some
steps (``present``), so that their gradient is ``None``, or zero after
``zero_grad(set_to_none=False)``.

The optimizers are built by the caller from a list of parameters, so any class with
``step()`` and ``zero_grad()`` can be compared: ours, torch's, a learner's.
Left out: objectives of real models (see the training tests) and learning-rate schedules.
"""

import torch

from .strategies import make_tensor

__all__ = [
    "HYPERPARAMETERS",
    "assert_same_state",
    "assert_same_trajectory",
    "make_targets",
    "objective",
    "take_step",
    "trajectory",
    "twin_params",
]

# The options of SGD that both libraries keep in each param group.
HYPERPARAMETERS = ("lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize")


def twin_params(shape_list, seed, dtype=torch.float64, device="cpu"):
    """Two lists of equal leaf tensors (``requires_grad``), one per shape: ``(ours, theirs)``."""
    ours = [
        make_tensor(shape, seed + index, dtype, device=device).requires_grad_()
        for index, shape in enumerate(shape_list)
    ]
    return ours, [param.detach().clone().requires_grad_() for param in ours]


def make_targets(params, seed):
    """A fixed target per parameter, normal draws of scale 2, for :func:`objective`."""
    return [
        make_tensor(param.shape, seed + index, param.dtype, 2.0, param.device)
        for index, param in enumerate(params)
    ]


def objective(params, targets, present):
    """sum_i <target_i, tanh(param_i)> over the present parameters; None if none is."""
    terms = [
        (target * param.tanh()).sum()
        for param, target, here in zip(params, targets, present)
        if here
    ]
    return sum(terms) if terms else None


def take_step(optimizer, params, targets, present, set_to_none=None, use_closure=False):
    """Zero the gradients, backpropagate :func:`objective`, step; return the closure's
    loss when ``use_closure`` (the step calls it), else None.

    ``set_to_none=None`` calls ``zero_grad()`` without arguments, which is all a
    learner's optimizer may take.
    """

    def closure():
        if set_to_none is None:
            optimizer.zero_grad()
        else:
            optimizer.zero_grad(set_to_none=set_to_none)
        loss = objective(params, targets, present)
        if loss is not None:
            loss.backward()
        return loss

    if use_closure:
        return optimizer.step(closure)
    closure()
    optimizer.step()
    return None


def trajectory(make_optimizer, shape_list, seed, steps, dtype=torch.float64):
    """The parameters after each of ``steps`` steps of ``make_optimizer(params)``, every
    parameter in the objective at every step: a list of lists of tensors."""
    params, _ = twin_params(shape_list, seed, dtype)
    targets = make_targets(params, seed + 100)
    optimizer = make_optimizer(params)
    snapshots = []
    for _ in range(steps):
        take_step(optimizer, params, targets, [True] * len(params))
        snapshots.append([param.detach().clone() for param in params])
    return snapshots


def assert_same_trajectory(
    make_ours,
    make_theirs,
    shape_list,
    seed,
    steps,
    present=None,
    dtype=torch.float64,
    device="cpu",
    set_to_none=None,
    use_closure=False,
    compare=None,
):
    """Run both optimizers ``steps`` steps from equal parameters; after every step the
    parameters (and the closure's losses) are equal, and ``compare(ours, theirs)`` holds.

    Args:
        make_ours, make_theirs: build an optimizer from a list of parameters, e.g.
            ``lambda params: torch.optim.SGD(params, lr=0.1)``.
        shape_list: the shape of each parameter.
        seed: seeds the parameters (``seed``, ``seed + 1``, ...) and targets.
        steps: how many steps.
        present: for each step, which parameters the objective uses (default: all).
        dtype, device: of the parameters.
        set_to_none, use_closure: how :func:`take_step` zeroes and steps.
        compare: an extra check of the two optimizers after each step, e.g.
            :func:`assert_same_state`.

    Raises:
        AssertionError: naming the first step after which the two differ.
    """
    our_params, their_params = twin_params(shape_list, seed, dtype, device)
    targets = make_targets(our_params, seed + 100)
    ours, theirs = make_ours(our_params), make_theirs(their_params)
    for step in range(steps):
        here = [True] * len(shape_list) if present is None else present[step]
        our_loss = take_step(ours, our_params, targets, here, set_to_none, use_closure)
        their_loss = take_step(theirs, their_params, targets, here, set_to_none, use_closure)
        try:
            torch.testing.assert_close(our_loss, their_loss)
            for index, (our_param, their_param) in enumerate(zip(our_params, their_params)):
                torch.testing.assert_close(
                    our_param, their_param, msg=lambda text, i=index: f"parameter {i}: {text}"
                )
            if compare is not None:
                compare(ours, theirs)
        except AssertionError as error:
            raise AssertionError(f"after step {step + 1} of {steps}: {error}") from None


def assert_same_state(ours, theirs):
    """Two optimizers of torch's SGD layout hold the same parameters, gradients, momentum
    buffers and hyperparameters (:data:`HYPERPARAMETERS`)."""
    our_dict, their_dict = ours.state_dict(), theirs.state_dict()
    assert our_dict["state"].keys() == their_dict["state"].keys()
    for index, entry in our_dict["state"].items():
        assert entry.keys() == their_dict["state"][index].keys() == {"momentum_buffer"}
        torch.testing.assert_close(
            entry["momentum_buffer"], their_dict["state"][index]["momentum_buffer"]
        )
    assert len(our_dict["param_groups"]) == len(their_dict["param_groups"])
    for our_group, their_group in zip(our_dict["param_groups"], their_dict["param_groups"]):
        for key in (*HYPERPARAMETERS, "params"):
            assert our_group[key] == their_group[key], key
    for our_group, their_group in zip(ours.param_groups, theirs.param_groups):
        for our_param, their_param in zip(our_group["params"], their_group["params"]):
            torch.testing.assert_close(our_param, their_param)
            # The step must leave .grad as autograd wrote it.
            torch.testing.assert_close(our_param.grad, their_param.grad)
