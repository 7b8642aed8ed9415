"""The static epoch, the code a CUDA graph records: it trains as ``train_epoch`` does.

The reference is ``train_epoch`` over an ``ArrayLoader`` seeded like the epoch under test,
so both see the same batches in the same order; after every epoch the parameters, their
gradients, SGD's momentum buffers and the reported metrics must match. On the CPU the
epoch is :class:`StaticEpoch` run eagerly; on a GPU (skipped without one) the same
comparisons run on :class:`GraphedEpoch`, whose first epoch is eager and whose later
epochs are replays of the recording. The graph's own tests are in ``test_graph.py``.
"""


import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import minitorch_lr.nn
from minitorch_lr.data import ArrayLoader
from minitorch_lr.optim import SGD
from minitorch_lr.testing.optim_strategies import sgd_hyperparameters
from minitorch_lr.testing.strategies import training_problems
from minitorch_lr.train import train_epoch
from minitorch_lr.train.static_epoch import StaticEpoch
from tests.train.epoch_problems import (
    EPOCHS,
    LIBRARIES,
    NUM_EPOCHS,
    REDUCTIONS,
    assert_same_training_state,
    generator_on,
    make_data,
    make_loss,
    make_model,
)

# --- the recorded code trains as train_epoch does ---------------------------------------


@pytest.mark.parametrize("epoch_class, device", EPOCHS)
@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(problem=training_problems, hyperparameters=sgd_hyperparameters(), shuffle=st.booleans())
def test_epoch_matches_train_epoch_over_the_same_batches(
    epoch_class, device, library, reduction, problem, hyperparameters, shuffle
):
    """Batch sizes from 1 to 8 over 1 to 20 examples: a short last batch or a single
    batch larger than the data are both drawn. float64: the arithmetic is the same on
    both sides, so torch.testing's tight defaults hold."""
    task, seed, num_examples, batch_size = problem
    features, labels = make_data(task, seed, num_examples, device)
    # Two equal models: one for the epoch under test, one for the reference loop.
    net, optimizer = make_model(library, task, seed, hyperparameters, device)
    reference, reference_optimizer = make_model(library, task, seed, hyperparameters, device)
    loss = make_loss(library, task, reduction)
    epoch = epoch_class(
        net,
        loss,
        optimizer,
        features,
        labels,
        batch_size,
        shuffle=shuffle,
        generator=generator_on(device, seed),
    )
    loader = ArrayLoader(
        (features, labels), batch_size, shuffle=shuffle, generator=generator_on(device, seed)
    )
    for _ in range(NUM_EPOCHS):
        metrics = epoch()
        expected_metrics = train_epoch(reference, loader, loss, reference_optimizer)
        torch.testing.assert_close(metrics, expected_metrics)
        assert_same_training_state(net, optimizer, reference, reference_optimizer)


@pytest.mark.parametrize("epoch_class, device", EPOCHS)
@pytest.mark.parametrize("num_examples, batch_size", [(12, 4), (10, 4), (5, 8), (7, 1)])
def test_epoch_trains_on_every_example_once_per_epoch(
    epoch_class, device, num_examples, batch_size
):
    """Example i is the one-hot row e_i and moves only weight i: with an L1 loss summed
    over the batch, each step on example i lowers weight i by exactly lr = 0.25 (while
    it stays above the target -1). So after k epochs every weight must be -0.25 k: a
    missed example leaves its weight higher, a repeated one lower. The values are exact
    in binary, so the check is equality."""
    nn = minitorch_lr.nn
    net = nn.Linear(num_examples, 1, bias=False, device=device)
    nn.init.zeros_(net.weight)
    optimizer = SGD(net.parameters(), lr=0.25)
    features = torch.eye(num_examples, device=device)
    targets = torch.full((num_examples, 1), -1.0, device=device)
    epoch = epoch_class(
        net,
        nn.L1Loss(reduction="sum"),
        optimizer,
        features,
        targets,
        batch_size,
        generator=generator_on(device, 0),
    )
    for completed in range(1, NUM_EPOCHS + 1):
        epoch()
        expected = torch.full((1, num_examples), -0.25 * completed, device=device)
        assert torch.equal(net.weight.detach(), expected)


@pytest.mark.parametrize("library", LIBRARIES)
def test_static_epoch_writes_into_the_same_tensors_every_epoch(library):
    """What a graph replays must stay put: once the first epoch has made the gradients
    and momentum buffers, later epochs update them, the parameters, the order and the
    metric sums in place, as the very same tensors at the same addresses."""
    features, labels = make_data("classify", 0, 10)
    net, optimizer = make_model(library, "classify", 0, {"lr": 0.1, "momentum": 0.9})
    loss = LIBRARIES[library][0].CrossEntropyLoss()
    epoch = StaticEpoch(net, loss, optimizer, features, labels, 4)

    def written_tensors():
        tensors = [epoch.order, epoch.loss_sum, epoch.correct]
        for param in net.parameters():
            tensors += [param, param.grad, optimizer.state[param]["momentum_buffer"]]
        return tensors

    epoch()
    first = [(tensor, tensor.data_ptr()) for tensor in written_tensors()]
    weight = net.weight.detach().clone()
    epoch()
    epoch()
    for (before, address), after in zip(first, written_tensors(), strict=True):
        assert after is before and after.data_ptr() == address
    assert not torch.equal(net.weight.detach(), weight)  # it did train


@pytest.mark.parametrize("epoch_class, device", EPOCHS)
def test_epoch_draws_array_loaders_order_afresh_each_epoch(epoch_class, device):
    num_examples, batch_size = 30, 4
    features, labels = make_data("classify", 0, num_examples, device)
    net, optimizer = make_model("minitorch_lr", "classify", 0, {"lr": 0.1}, device)
    epoch = epoch_class(
        net,
        minitorch_lr.nn.CrossEntropyLoss(),
        optimizer,
        features,
        labels,
        batch_size,
        generator=generator_on(device, 7),
    )
    indices = ArrayLoader(
        (torch.arange(num_examples, device=device),),
        batch_size,
        shuffle=True,
        generator=generator_on(device, 7),
    )
    orders = []
    for _ in range(NUM_EPOCHS):
        epoch()
        assert torch.equal(epoch.order, torch.cat([batch for (batch,) in indices]))
        orders.append(epoch.order.clone())
    # Two equal permutations of 30 examples in a row would have probability 1/30!.
    assert not torch.equal(orders[0], orders[1])
    assert not torch.equal(orders[1], orders[2])


def test_from_loader_takes_the_loaders_tensors_and_settings():
    features, labels = make_data("classify", 0, 10)
    net, optimizer = make_model("torch", "classify", 0, {"lr": 0.1})
    generator = generator_on("cpu", 0)
    loader = ArrayLoader((features, labels), 3, shuffle=False, generator=generator)
    epoch = StaticEpoch.from_loader(net, loader, torch.nn.CrossEntropyLoss(), optimizer)
    assert epoch.features is features and epoch.labels is labels
    assert (epoch.batch_size, epoch.shuffle, epoch.generator) == (3, False, generator)


def test_from_loader_rejects_what_is_not_an_array_loader_of_two_tensors():
    features, labels = make_data("classify", 0, 10)
    net, optimizer = make_model("torch", "classify", 0, {"lr": 0.1})
    loss = torch.nn.CrossEntropyLoss()
    with pytest.raises(TypeError, match="must be a minitorch_lr.data.ArrayLoader, got list"):
        StaticEpoch.from_loader(net, [(features, labels)], loss, optimizer)
    three = ArrayLoader((features, labels, labels), 3)
    with pytest.raises(ValueError, match=r"two tensors, \(features, labels\), but holds 3"):
        StaticEpoch.from_loader(net, three, loss, optimizer)


