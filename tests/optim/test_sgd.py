"""SGD against torch.optim.SGD: trajectories, param groups, state dicts, errors, interop.

A trajectory runs the same objective for ``STEPS`` steps through both optimizers, from
equal parameters, and compares parameters, momentum buffers and untouched gradients
after every step (:mod:`minitorch_lr.testing.optim_trajectories` holds the objective and
the step). On some steps some parameters are left out of the objective, so their
gradient is ``None`` (or zero, after ``zero_grad(set_to_none=False)``).
"""

import copy
import inspect
import re

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr import nn
from minitorch_lr.optim import SGD
from minitorch_lr.testing import assert_same_error
from minitorch_lr.testing.optim_strategies import checkpoints, sgd_hyperparameters, trajectories
from minitorch_lr.testing.optim_trajectories import (
    assert_same_state,
    assert_same_trajectory,
    make_targets,
    take_step,
    twin_params,
)
from minitorch_lr.testing.strategies import seeds
from tests.helpers import DEVICES, DTYPES, requires_cuda

STEPS = 24
# Keys torch 2.13's SGD groups hold that ours leave out: they choose how torch computes
# the update (loops, multi-tensor kernels, autograd through the step), not what it is.
TORCH_ONLY_GROUP_KEYS = {"foreach", "fused", "differentiable"}


# --- the update rule ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        # f(w) = w^2 from w = 1, so g = 2w; lr 0.1 throughout.
        pytest.param({}, [0.8, 0.64], id="plain"),
        # g = 2w + 0.5 w = 2.5 w: w = 1 - 0.25, then 0.75 - 0.1875.
        pytest.param({"weight_decay": 0.5}, [0.75, 0.5625], id="weight-decay"),
        # b = g = 2, w = 0.8; g = 1.6, b = 0.9 * 2 + 0.5 * 1.6 = 2.6, w = 0.8 - 0.26.
        pytest.param({"momentum": 0.9, "dampening": 0.5}, [0.8, 0.54], id="dampening"),
        # b = 2, g = 2 + 0.9 * 2 = 3.8, w = 0.62; g = 1.24, b = 1.8 + 1.24 = 3.04,
        # g = 1.24 + 0.9 * 3.04 = 3.976, w = 0.62 - 0.3976.
        pytest.param({"momentum": 0.9, "nesterov": True}, [0.62, 0.2224], id="nesterov"),
        # Weight decay enters the buffer: g = b = 2.5, w = 0.75; g = 1.5 + 0.375 = 1.875,
        # b = 0.9 * 2.5 + 1.875 = 4.125, w = 0.75 - 0.4125.
        pytest.param(
            {"momentum": 0.9, "weight_decay": 0.5}, [0.75, 0.3375], id="decay-then-momentum"
        ),
        # g = -2w: w = 1.2, then 1.2 + 0.24.
        pytest.param({"maximize": True}, [1.2, 1.44], id="maximize"),
        # Weight decay 1 exactly: g = 2w + w = 3w, so w = 1 - 0.3, then 0.7 - 0.21.
        pytest.param({"weight_decay": 1.0}, [0.7, 0.49], id="weight-decay-1"),
    ],
)
def test_two_steps_by_hand(options, expected):
    weight = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
    optimizer = SGD([weight], lr=0.1, **options)
    for value in expected:
        optimizer.zero_grad()
        (weight**2).sum().backward()
        optimizer.step()
        torch.testing.assert_close(weight.detach(), torch.tensor([value], dtype=torch.float64))


@pytest.mark.parametrize("device", DEVICES)
@given(
    hyperparameters=sgd_hyperparameters(),
    trajectory=trajectories(STEPS),
    dtype=st.sampled_from(DTYPES),
    set_to_none=st.booleans(),
    use_closure=st.booleans(),
)
def test_trajectory_equals_torchs_at_every_step(
    device, hyperparameters, trajectory, dtype, set_to_none, use_closure
):
    shape_list, seed, present = trajectory
    assert_same_trajectory(
        lambda params: SGD(params, **hyperparameters),
        lambda params: torch.optim.SGD(params, **hyperparameters),
        shape_list,
        seed,
        STEPS,
        present,
        dtype=dtype,
        device=device,
        set_to_none=set_to_none,
        use_closure=use_closure,
        compare=assert_same_state,
    )


@given(
    group_hyperparameters=st.lists(sgd_hyperparameters(), min_size=2, max_size=3),
    defaults=sgd_hyperparameters(),
    trajectory=trajectories(STEPS),
)
def test_param_groups_with_their_own_hyperparameters_equal_torchs(
    group_hyperparameters, defaults, trajectory
):
    shape_list, seed, present = trajectory
    our_params, their_params = twin_params(shape_list, seed)
    targets = make_targets(our_params, seed + 100)

    def groups(params):
        # Parameter i goes to group i mod len(groups); a group may stay empty. Group 0
        # names only lr, so it takes the rest of its hyperparameters from the defaults.
        count = len(group_hyperparameters)
        made = [
            {"params": params[index::count], **options}
            for index, options in enumerate(group_hyperparameters)
        ]
        made[0] = {"params": made[0]["params"], "lr": made[0]["lr"]}
        return made

    ours = SGD(groups(our_params), **defaults)
    theirs = torch.optim.SGD(groups(their_params), **defaults)
    for step in range(STEPS):
        take_step(ours, our_params, targets, present[step], True, False)
        take_step(theirs, their_params, targets, present[step], True, False)
        assert_same_state(ours, theirs)


@given(hyperparameters=sgd_hyperparameters(), trajectory=trajectories(STEPS))
def test_hyperparameters_changed_between_steps_act_as_in_torch(hyperparameters, trajectory):
    shape_list, seed, present = trajectory
    our_params, their_params = twin_params(shape_list, seed)
    targets = make_targets(our_params, seed + 100)
    ours = SGD(our_params, **hyperparameters)
    theirs = torch.optim.SGD(their_params, **hyperparameters)
    for step in range(STEPS):
        if step == STEPS // 3:
            # What a learning-rate schedule does: edit the group between steps.
            for optimizer in (ours, theirs):
                optimizer.param_groups[0]["lr"] /= 2
                optimizer.param_groups[0]["momentum"] = 0.5
                optimizer.param_groups[0]["nesterov"] = False
        take_step(ours, our_params, targets, present[step], True, False)
        take_step(theirs, their_params, targets, present[step], True, False)
        assert_same_state(ours, theirs)


def test_add_param_group_mid_training_equals_torchs():
    (weight, bias), (their_weight, their_bias) = twin_params([(3, 2), (3,)], seed=7)
    targets = make_targets([weight, bias], seed=8)
    ours = SGD([weight], lr=0.1, momentum=0.9)
    theirs = torch.optim.SGD([their_weight], lr=0.1, momentum=0.9)
    for step in range(STEPS):
        if step == 5:
            ours.add_param_group({"params": bias, "weight_decay": 0.1})
            theirs.add_param_group({"params": their_bias, "weight_decay": 0.1})
        take_step(ours, [weight, bias], targets, [True, True], True, False)
        take_step(theirs, [their_weight, their_bias], targets, [True, True], True, False)
        assert_same_state(ours, theirs)


def test_parameters_without_a_gradient_are_not_touched():
    (weight, bias), _ = twin_params([(2, 2), (2,)], seed=3)
    bias_before = bias.detach().clone()
    optimizer = SGD([weight, bias], lr=0.5, momentum=0.9, weight_decay=0.1)
    (weight**2).sum().backward()
    optimizer.step()
    assert bias.grad is None and torch.equal(bias, bias_before)
    # No state either, as in torch: a buffer would make its first step a later one.
    assert bias not in optimizer.state and weight in optimizer.state


def test_step_records_nothing_for_autograd():
    weight = torch.ones(3, requires_grad=True)
    optimizer = SGD([weight], lr=0.1, momentum=0.9)
    (weight**2).sum().backward()
    optimizer.step()
    optimizer.step()
    assert weight.is_leaf and weight.grad_fn is None and torch.is_grad_enabled()
    assert not optimizer.state[weight]["momentum_buffer"].requires_grad


@pytest.mark.parametrize("optimizer_class", [SGD, torch.optim.SGD])
def test_closure_runs_with_autograd_on_and_its_loss_is_returned(optimizer_class):
    weight = torch.ones(3, requires_grad=True)
    optimizer = optimizer_class([weight], lr=0.1)

    def closure():
        optimizer.zero_grad()
        loss = (weight**2).sum()
        loss.backward()
        return loss

    with torch.no_grad():
        loss = optimizer.step(closure)
    assert loss.item() == 3.0
    assert torch.equal(weight.detach(), torch.full((3,), 0.8))
    assert optimizer.step() is None


# --- construction, errors, state dicts ----------------------------------------------------


def test_defaults_equal_torchs():
    ours = inspect.signature(SGD).parameters
    theirs = inspect.signature(torch.optim.SGD).parameters
    for name, parameter in ours.items():
        assert parameter.default == theirs[name].default, name
        assert parameter.kind == theirs[name].kind, name
    assert theirs.keys() - ours.keys() == TORCH_ONLY_GROUP_KEYS
    weight = torch.zeros(2, requires_grad=True)
    our_defaults = SGD([weight]).defaults
    their_defaults = torch.optim.SGD([weight]).defaults
    assert our_defaults == {key: their_defaults[key] for key in our_defaults}
    assert their_defaults.keys() - our_defaults.keys() == TORCH_ONLY_GROUP_KEYS


@pytest.mark.parametrize(
    "options",
    [
        {"lr": -0.1},
        {"momentum": -0.5},
        {"weight_decay": -1e-3},
        {"nesterov": True},
        {"nesterov": True, "momentum": 0.9, "dampening": 0.1},
        {"lr": -1.0, "momentum": -1.0},
    ],
    ids=[
        "lr",
        "momentum",
        "weight-decay",
        "nesterov-no-momentum",
        "nesterov-dampening",
        "first-error-first",
    ],
)
def test_invalid_hyperparameters_raise_torchs_error_and_message(options):
    weight = torch.zeros(2, requires_grad=True)
    with pytest.raises(ValueError) as torch_error:
        torch.optim.SGD([weight], **options)
    message = "^" + re.escape(str(torch_error.value)) + "$"
    assert_same_error(
        lambda: SGD([weight], **options), lambda: torch.optim.SGD([weight], **options), message
    )


@pytest.mark.parametrize("name", ["lr", "weight_decay"])
def test_tensor_hyperparameters_are_refused_by_name(name):
    weight = torch.zeros(2, requires_grad=True)
    with pytest.raises(TypeError, match=f"^{name} must be a Python number"):
        SGD([weight], **{name: torch.tensor(0.1)})


@pytest.mark.parametrize(
    ("saver", "loader"),
    [(SGD, torch.optim.SGD), (torch.optim.SGD, SGD), (SGD, SGD)],
    ids=["ours-into-torch", "torch-into-ours", "ours-into-ours"],
)
@given(checkpoint=checkpoints(STEPS))
def test_state_dict_resumes_training_in_either_library(saver, loader, checkpoint):
    """Train with one optimizer, save at step k, resume with a fresh one from the state
    dict: the run equals an uninterrupted torch run."""
    hyperparameters, (shape_list, seed, present), saved_at = checkpoint
    params, reference_params = twin_params(shape_list, seed)
    targets = make_targets(params, seed + 100)
    optimizer = saver(params, **hyperparameters)
    reference = torch.optim.SGD(reference_params, **hyperparameters)
    for step in range(STEPS):
        if step == saved_at:
            saved = optimizer.state_dict()
            # A fresh optimizer with other hyperparameters: loading must bring them back.
            optimizer = loader(params, lr=0.0)
            optimizer.load_state_dict(saved)
        take_step(optimizer, params, targets, present[step], True, False)
        take_step(reference, reference_params, targets, present[step], True, False)
        assert_same_state(optimizer, reference)


def test_state_dict_of_a_trained_optimizer_equals_torchs_but_for_torchs_own_keys():
    (weight, bias), (their_weight, their_bias) = twin_params([(3, 2), (3,)], seed=1)
    targets = make_targets([weight, bias], seed=2)
    ours = SGD([{"params": [weight]}, {"params": [bias], "lr": 0.5}], lr=0.1, momentum=0.9)
    theirs = torch.optim.SGD(
        [{"params": [their_weight]}, {"params": [their_bias], "lr": 0.5}], lr=0.1, momentum=0.9
    )
    assert ours.state_dict()["state"] == theirs.state_dict()["state"] == {}
    take_step(ours, [weight, bias], targets, [False, True], True, False)
    take_step(theirs, [their_weight, their_bias], targets, [False, True], True, False)
    assert ours.state_dict()["param_groups"] == [
        {
            "lr": 0.1,
            "momentum": 0.9,
            "dampening": 0,
            "weight_decay": 0,
            "nesterov": False,
            "maximize": False,
            "params": [0],
        },
        {
            "lr": 0.5,
            "momentum": 0.9,
            "dampening": 0,
            "weight_decay": 0,
            "nesterov": False,
            "maximize": False,
            "params": [1],
        },
    ]
    assert list(ours.state_dict()["state"]) == [1]
    for our_group, their_group in zip(
        ours.state_dict()["param_groups"], theirs.state_dict()["param_groups"]
    ):
        assert their_group.keys() - our_group.keys() == TORCH_ONLY_GROUP_KEYS
    assert_same_state(ours, theirs)


def test_a_group_dict_stays_the_callers_so_changing_it_changes_the_step_like_torch():
    (weight,), (their_weight,) = twin_params([(3,)], seed=4)
    ours_group, their_group = {"params": [weight]}, {"params": [their_weight]}
    ours = SGD([ours_group], lr=0.1)
    theirs = torch.optim.SGD([their_group], lr=0.1)
    assert ours.param_groups[0] is ours_group
    ours_group["lr"] = their_group["lr"] = 0.5
    targets = make_targets([weight], seed=5)
    take_step(ours, [weight], targets, [True], True, False)
    take_step(theirs, [their_weight], targets, [True], True, False)
    torch.testing.assert_close(weight, their_weight)
    before = weight.detach().clone()
    take_step(ours, [weight], targets, [True], True, False)
    # The step was taken with 0.5: the gradient of <t, tanh(w)> is t * (1 - tanh(w)^2).
    expected = before - 0.5 * targets[0] * (1 - before.tanh() ** 2)
    torch.testing.assert_close(weight.detach(), expected)


def test_a_bad_group_leaves_the_callers_dict_as_it_was():
    group = {"params": [torch.zeros(2, requires_grad=True), "not a tensor"]}
    with pytest.raises(TypeError):
        SGD([group], lr=0.1)
    assert set(group) == {"params"} and isinstance(group["params"][1], str)


@pytest.mark.parametrize(
    "keys", [("nesterov",), ("maximize",), ("nesterov", "maximize", "foreach")]
)
def test_a_state_dict_without_newer_keys_loads_with_torchs_defaults(keys):
    (weight,), (their_weight,) = twin_params([(2, 2)], seed=6)
    saved = torch.optim.SGD([torch.zeros(2, 2, requires_grad=True)], lr=0.2).state_dict()
    for key in keys:
        saved["param_groups"][0].pop(key, None)
    ours, theirs = SGD([weight], lr=0.1), torch.optim.SGD([their_weight], lr=0.1)
    ours.load_state_dict(copy.deepcopy(saved))
    theirs.load_state_dict(copy.deepcopy(saved))
    targets = make_targets([weight], seed=7)
    for _ in range(2):
        take_step(ours, [weight], targets, [True], True, False)
        take_step(theirs, [their_weight], targets, [True], True, False)
    torch.testing.assert_close(weight, their_weight)
    assert ours.param_groups[0]["nesterov"] is theirs.param_groups[0]["nesterov"] is False
    assert ours.param_groups[0]["maximize"] is theirs.param_groups[0]["maximize"] is False


def test_repr_equals_torchs_once_groups_hold_the_same_keys():
    weight = torch.zeros(2, requires_grad=True)
    theirs = torch.optim.SGD([weight], lr=0.1, momentum=0.9, nesterov=True)
    ours = SGD([weight])
    ours.load_state_dict(theirs.state_dict())
    assert repr(ours) == repr(theirs)


# --- interop with torch.nn -------------------------------------------------------------


def batches(seed, count=STEPS, size=8):
    generator = torch.Generator().manual_seed(seed)
    for _ in range(count):
        yield (
            torch.randn(size, 2, 3, generator=generator, dtype=torch.float64),
            torch.randint(0, 4, (size,), generator=generator),
        )


def softmax_regression(model_nn, seed):
    torch.manual_seed(seed)
    return model_nn.Sequential(model_nn.Flatten(), model_nn.Linear(6, 4, dtype=torch.float64))


@pytest.mark.parametrize(
    ("model_nn", "optimizer_class"),
    [(torch.nn, SGD), (nn, torch.optim.SGD), (nn, SGD)],
    ids=["our-sgd-trains-torch.nn", "torch-sgd-trains-minitorch_lr", "ours-on-ours"],
)
@given(seed=seeds, hyperparameters=sgd_hyperparameters())
def test_training_a_model_equals_torch_nn_with_torch_sgd(
    model_nn, optimizer_class, seed, hyperparameters
):
    model = softmax_regression(model_nn, seed)
    reference = softmax_regression(torch.nn, seed)
    optimizer = optimizer_class(model.parameters(), **hyperparameters)
    reference_optimizer = torch.optim.SGD(reference.parameters(), **hyperparameters)
    for inputs, labels in batches(seed):
        for net, net_optimizer in ((model, optimizer), (reference, reference_optimizer)):
            net_optimizer.zero_grad()
            # The loss comes from torch for both, so that only the optimizer and the
            # model differ between the two runs.
            torch.nn.functional.cross_entropy(net(inputs), labels).backward()
            net_optimizer.step()
        for ours, theirs in zip(model.parameters(), reference.parameters()):
            torch.testing.assert_close(ours.detach(), theirs.detach())


# --- on the GPU ---------------------------------------------------------------------------


@requires_cuda
def test_step_never_waits_for_the_device():
    params, _ = twin_params([(5, 3), (5,)], seed=0, device="cuda")
    optimizer = SGD(params, lr=0.1, momentum=0.9, weight_decay=0.1, nesterov=True, maximize=True)
    for param in params:
        param.grad = torch.ones_like(param)
    torch.cuda.synchronize()
    # "error" makes any operation that would block the host on the device raise.
    torch.cuda.set_sync_debug_mode("error")
    try:
        for _ in range(3):
            optimizer.step()
    finally:
        torch.cuda.set_sync_debug_mode("default")
