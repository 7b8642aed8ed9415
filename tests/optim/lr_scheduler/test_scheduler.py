"""What every scheduler shares, against torch.optim.lr_scheduler: the rates epoch by epoch,
the initial step, resuming, the order warning, state dicts, errors, and training.

The rates are compared exactly, not within a tolerance: each scheduler computes torch's
formula with the same operations in the same order on Python floats, so any difference,
even in the last bit, is a difference in the formula.
"""

import gc
import warnings
import weakref

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import minitorch_lr.nn
import minitorch_lr.optim.lr_scheduler
from minitorch_lr.optim import SGD
from minitorch_lr.optim.lr_scheduler import CosineAnnealingLR, ExponentialLR, LambdaLR, StepLR
from minitorch_lr.testing import assert_same_error
from minitorch_lr.testing.lr_scheduler_strategies import schedules
from minitorch_lr.testing.optim_strategies import sgd_hyperparameters
from minitorch_lr.testing.strategies import seeds
from tests.optim.lr_scheduler.twins import (
    LIBRARIES,
    build,
    build_twins,
    make_optimizer,
    run_epochs,
)
from tests.train.problems import NUM_CLASSES, NUM_FEATURES, make_batches

EPOCHS = st.integers(0, 30)
# torch's scheduler keeps one more attribute, for a warning left out here (see scheduler.py).
TORCH_ONLY_STATE = {"_get_lr_called_within_step"}


def group_keys_but_params(optimizer):
    return [{k: v for k, v in group.items() if k != "params"} for group in optimizer.param_groups]


@given(schedule=schedules(), sgd_kwargs=sgd_hyperparameters(), epochs=EPOCHS)
def test_every_schedule_gives_torchs_rates_epoch_by_epoch(schedule, sgd_kwargs, epochs):
    lrs, settings = schedule
    (ours, our_scheduler), (theirs, their_scheduler) = build_twins(lrs, settings, sgd_kwargs)
    assert run_epochs(ours, our_scheduler, epochs) == run_epochs(
        theirs, their_scheduler, epochs
    )


@given(schedule=schedules())
def test_construction_steps_to_epoch_0_and_writes_initial_lr_as_torch_does(schedule):
    lrs, settings = schedule
    (ours, our_scheduler), (theirs, their_scheduler) = build_twins(lrs, settings)
    assert our_scheduler.last_epoch == their_scheduler.last_epoch == 0
    assert our_scheduler.base_lrs == their_scheduler.base_lrs == lrs
    for our_group, their_group in zip(ours.param_groups, theirs.param_groups):
        assert our_group["initial_lr"] == their_group["initial_lr"]
        assert our_group["lr"] == their_group["lr"]
    assert "initial_lr" in ours.state_dict()["param_groups"][0]


@given(schedule=schedules(), epochs=EPOCHS, hand_epoch=st.integers(0, 30), factor=st.floats(0, 2))
def test_a_rate_set_by_hand_between_steps_is_carried_on_as_torch_does(
    schedule, epochs, hand_epoch, factor
):
    """Recursive schedules go on from the rate they find; LambdaLR overwrites it."""
    lrs, settings = schedule
    seen = []
    for optimizer, scheduler in build_twins(lrs, settings):
        history = run_epochs(optimizer, scheduler, min(hand_epoch, epochs))
        for group in optimizer.param_groups:
            group["lr"] *= factor
        history += run_epochs(optimizer, scheduler, epochs - min(hand_epoch, epochs))
        seen.append(history)
    assert seen[0] == seen[1]


@given(data=st.data(), first_alone=st.integers(0, 8), epochs=st.integers(0, 12))
def test_two_schedulers_on_one_optimizer_compose_as_torchs_do(data, first_alone, epochs):
    """A second scheduler built later starts from the groups' 'initial_lr', not from the
    rates the first one left; then both step every epoch, each on what the other set."""
    lrs, first = data.draw(schedules())
    _, second = data.draw(schedules(num_groups=len(lrs)))
    seen = []
    for library, (_, module) in LIBRARIES.items():
        optimizer, first_scheduler = build(library, lrs, first)
        history = run_epochs(optimizer, first_scheduler, first_alone)
        name, kwargs = second
        second_scheduler = getattr(module, name)(optimizer, **kwargs)
        for _ in range(epochs):
            optimizer.step()
            first_scheduler.step()
            second_scheduler.step()
            history.append([group["lr"] for group in optimizer.param_groups])
        seen.append(history)
    assert seen[0] == seen[1]


@given(schedule=schedules(), saved_after=st.integers(0, 12), epochs=st.integers(0, 12))
def test_resuming_with_last_epoch_continues_as_torch_does(schedule, saved_after, epochs):
    """A run saved after some epochs, resumed the way torch's docs say: a new optimizer
    loads the saved state (its groups carry 'initial_lr'), then a scheduler is built with
    the saved ``last_epoch``."""
    lrs, settings = schedule
    name, kwargs = settings
    seen = []
    for library, (optimizer_class, module) in LIBRARIES.items():
        optimizer, scheduler = build(library, lrs, settings)
        run_epochs(optimizer, scheduler, saved_after)
        resumed = make_optimizer(optimizer_class, lrs)
        resumed.load_state_dict(optimizer.state_dict())
        resumed_scheduler = getattr(module, name)(
            resumed, **kwargs, last_epoch=scheduler.last_epoch
        )
        seen.append(run_epochs(resumed, resumed_scheduler, epochs))
    assert seen[0] == seen[1]


def test_resuming_without_initial_lr_is_torchs_key_error_and_changes_nothing():
    ours, theirs = make_optimizer(SGD, [0.1, 0.2]), make_optimizer(torch.optim.SGD, [0.1, 0.2])
    before = group_keys_but_params(ours)
    step_before = ours.step
    assert_same_error(
        lambda: StepLR(ours, step_size=2, last_epoch=3),
        lambda: torch.optim.lr_scheduler.StepLR(theirs, step_size=2, last_epoch=3),
        match=r"'initial_lr' is not specified in param_groups\[0, 1\]",
    )
    assert group_keys_but_params(ours) == before
    assert ours.step == step_before


def test_an_object_without_param_groups_and_step_is_torchs_type_error():
    class NoStep:
        param_groups = [{"lr": 0.1}]

    for not_an_optimizer in (object(), NoStep(), [torch.zeros(1)]):
        assert_same_error(
            lambda: ExponentialLR(not_an_optimizer, gamma=0.5),  # noqa: B023
            lambda: torch.optim.lr_scheduler.ExponentialLR(not_an_optimizer, gamma=0.5),  # noqa: B023
            match="is not an Optimizer",
        )
    assert NoStep.param_groups == [{"lr": 0.1}]


def test_a_tensor_learning_rate_is_a_type_error_before_anything_is_written():
    """torch's schedulers fill a tensor rate in place; these set Python numbers only."""
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=torch.tensor(0.1))
    step_before = optimizer.step
    with pytest.raises(TypeError, match=r"param_groups\[0\]\['lr'\] is a tensor"):
        ExponentialLR(optimizer, gamma=0.5)
    assert "initial_lr" not in optimizer.param_groups[0]
    assert optimizer.step == step_before


# --- the order check: optimizer.step() before scheduler.step() --------------------------

ORDERS = {
    "optimizer first": ["optimizer", "scheduler", "scheduler"],
    "scheduler first": ["scheduler", "optimizer", "scheduler"],
    "scheduler twice first": ["scheduler", "scheduler", "optimizer"],
    "step replaced after construction": ["replace", "optimizer", "scheduler"],
    "no optimizer step at all": ["scheduler", "scheduler"],
}


def warnings_of(library, calls):
    """The kinds of warning a run of ``calls`` gives, in order: 'before' or 'overridden'."""
    optimizer, scheduler = build(library, [0.1], ("StepLR", {"step_size": 1}))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for call in calls:
            if call == "optimizer":
                optimizer.step()
            elif call == "scheduler":
                scheduler.step()
            else:
                optimizer.step = type(optimizer).step.__get__(optimizer)
    kinds = []
    for warning in caught:
        assert warning.category is UserWarning
        message = str(warning.message)
        kinds.append("overridden" if "overridden" in message else "before")
        assert "before `lr_scheduler.step()`" in message
    return kinds


@pytest.mark.parametrize("calls", ORDERS.values(), ids=ORDERS.keys())
def test_the_order_warning_comes_exactly_when_torchs_does(calls):
    assert warnings_of("minitorch_lr", calls) == warnings_of("torch", calls)


def test_the_order_warnings_are_those_torchs_docs_describe():
    """The comparison above is meaningful: each case warns as expected, in both."""
    expected = {
        "optimizer first": [],
        "scheduler first": ["before"],
        "scheduler twice first": ["before"],
        "step replaced after construction": ["overridden"],
        "no optimizer step at all": ["before"],
    }
    assert {name: warnings_of("minitorch_lr", calls) for name, calls in ORDERS.items()} == expected


def test_the_optimizer_is_wrapped_once_by_ours_and_torchs_schedulers_together():
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.5)
    StepLR(optimizer, step_size=1)
    wrapped = optimizer.step
    CosineAnnealingLR(optimizer, T_max=3)
    torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.5)
    assert optimizer.step is wrapped


def test_the_wrapped_step_passes_the_closure_and_returns_its_loss():
    weight = torch.tensor([1.0], requires_grad=True)
    optimizer = SGD([weight], lr=0.5)
    StepLR(optimizer, step_size=1)

    def closure():
        optimizer.zero_grad()
        loss = (weight**2).sum()
        loss.backward()
        return loss

    loss = optimizer.step(closure)
    # f(w) = w^2 at w = 1: loss 1, gradient 2, so w = 1 - 0.5 * 2 = 0.
    assert loss.item() == 1.0 and weight.item() == 0.0


def test_the_wrapped_step_does_not_keep_the_optimizer_alive():
    """The wrapper holds the optimizer weakly: without a cycle, deleting the optimizer
    and its scheduler frees them at once, with the garbage collector off."""
    optimizer = SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    scheduler = StepLR(optimizer, step_size=1)
    alive = weakref.ref(optimizer)
    gc.disable()
    try:
        del optimizer, scheduler
        assert alive() is None
    finally:
        gc.enable()


# --- state dicts -----------------------------------------------------------------------


@given(schedule=schedules(), epochs=st.integers(0, 12))
def test_state_dict_is_torchs_every_attribute_but_the_optimizer(schedule, epochs):
    lrs, settings = schedule
    (ours, our_scheduler), (theirs, their_scheduler) = build_twins(lrs, settings)
    run_epochs(ours, our_scheduler, epochs)
    run_epochs(theirs, their_scheduler, epochs)
    our_state, their_state = our_scheduler.state_dict(), their_scheduler.state_dict()
    assert set(their_state) - set(our_state) == TORCH_ONLY_STATE
    assert our_state == {key: their_state[key] for key in our_state}


@pytest.mark.parametrize("direction", ["torch to minitorch_lr", "minitorch_lr to torch"])
@given(schedule=schedules(), saved_after=st.integers(0, 12), epochs=st.integers(1, 12))
def test_a_state_dict_saved_by_one_library_continues_the_schedule_in_the_other(
    direction, schedule, saved_after, epochs
):
    """Saved after some epochs in one library, loaded into a fresh optimizer and scheduler
    of the other (scheduler built first, then both states loaded), the schedule goes on
    exactly as it goes on where it was saved."""
    lrs, settings = schedule
    source, target = direction.split(" to ")
    optimizer, scheduler = build(source, lrs, settings)
    run_epochs(optimizer, scheduler, saved_after)
    resumed, resumed_scheduler = build(target, lrs, settings)
    resumed.load_state_dict(optimizer.state_dict())
    resumed_scheduler.load_state_dict(scheduler.state_dict())
    continued = run_epochs(resumed, resumed_scheduler, epochs)
    assert continued == run_epochs(optimizer, scheduler, epochs)


def test_load_state_dict_refuses_what_is_not_a_dict():
    optimizer, scheduler = build("minitorch_lr", [0.1], ("StepLR", {"step_size": 2}))
    with pytest.raises(TypeError, match="Expected state_dict to be a dict, got <class 'list'>"):
        scheduler.load_state_dict([("last_epoch", 5)])
    assert scheduler.last_epoch == 0


# --- other optimizers, and training ------------------------------------------------------


@given(schedule=schedules(), sgd_kwargs=sgd_hyperparameters(), epochs=EPOCHS)
def test_our_scheduler_on_torchs_sgd_gives_torchs_rates(schedule, sgd_kwargs, epochs):
    lrs, (name, kwargs) = schedule
    seen = []
    for module in (minitorch_lr.optim.lr_scheduler, torch.optim.lr_scheduler):
        optimizer = make_optimizer(torch.optim.SGD, lrs, sgd_kwargs)
        seen.append(run_epochs(optimizer, getattr(module, name)(optimizer, **kwargs), epochs))
    assert seen[0] == seen[1]


@given(
    schedule=schedules(num_groups=1),
    sgd_kwargs=sgd_hyperparameters(),
    seed=seeds,
    batch_size=st.integers(1, 8),
)
def test_training_with_a_schedule_follows_torch_nn_and_torch_optim(
    schedule, sgd_kwargs, seed, batch_size
):
    """Four epochs of softmax regression, minitorch_lr.nn + SGD + scheduler against
    torch.nn + torch.optim.SGD + torch's scheduler: equal parameters after every epoch.

    float64, torch.testing's defaults: our cross-entropy rounds differently from
    torch's in the last bits, and four epochs of steps do not make that visible.
    """
    [lr], settings = schedule
    sgd_kwargs = {**sgd_kwargs, "lr": lr, "maximize": False}
    name, kwargs = settings
    batches = make_batches("classify", seed, 20, batch_size)
    models = []
    for nn, optim in ((minitorch_lr.nn, minitorch_lr.optim), (torch.nn, torch.optim)):
        torch.manual_seed(seed)
        net = nn.Linear(NUM_FEATURES, NUM_CLASSES).double()
        optimizer = optim.SGD(net.parameters(), **sgd_kwargs)
        scheduler = getattr(optim.lr_scheduler, name)(optimizer, **kwargs)
        models.append((net, nn.CrossEntropyLoss(), optimizer, scheduler))
    for _ in range(4):
        for net, loss, optimizer, scheduler in models:
            for X, y in batches:
                optimizer.zero_grad()
                loss(net(X), y).backward()
                optimizer.step()
            scheduler.step()
        (ours, *_, our_scheduler), (theirs, *_, their_scheduler) = models
        assert our_scheduler.get_last_lr() == their_scheduler.get_last_lr()
        torch.testing.assert_close(ours.weight.detach(), theirs.weight.detach())
        torch.testing.assert_close(ours.bias.detach(), theirs.bias.detach())


def test_torchs_own_scheduler_refuses_our_sgd_which_is_why_these_exist():
    optimizer = SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    with pytest.raises(TypeError, match="SGD is not an Optimizer"):
        torch.optim.lr_scheduler.StepLR(optimizer, step_size=1)
    assert LambdaLR(optimizer, lambda epoch: 0.5).get_last_lr() == [0.05]
