"""The CUDA-graph epoch: what it records trains as ``train_epoch`` does, and so does a replay.

The reference is ``train_epoch`` over an ``ArrayLoader`` seeded like the epoch under test,
so both see the same batches in the same order; after every epoch the parameters, their
gradients, SGD's momentum buffers and the reported metrics must match.

On the CPU: :class:`StaticEpoch`, the exact code a graph records, run eagerly; every
example once per epoch; the checks that refuse what cannot be recorded, before anything
changes; and :class:`GraphedEpoch`'s ``RuntimeError`` without CUDA. On a GPU (skipped
without one) the same comparisons run on :class:`GraphedEpoch`, whose first epoch is
eager and whose later epochs are replays of the recording, and its re-recording when a
hyperparameter or a state tensor changes between epochs.
"""

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import minitorch_lr.nn
from minitorch_lr import scratch
from minitorch_lr.cuda_graph import GraphedEpoch, StaticEpoch
from minitorch_lr.data import ArrayLoader
from minitorch_lr.optim import SGD
from minitorch_lr.train import train_epoch
from tests.helpers import requires_cuda
from tests.strategies import make_tensor, seeds, sgd_hyperparameters

LIBRARIES = {"minitorch_lr": (minitorch_lr.nn, SGD), "torch": (torch.nn, torch.optim.SGD)}
REDUCTIONS = ["mean", "sum", "none"]
NUM_FEATURES, NUM_CLASSES = 4, 3
NUM_EPOCHS = 3  # a GraphedEpoch's first epoch is eager; the next two are replays
# Each epoch class with the device it is tested on.
EPOCHS = [
    pytest.param(StaticEpoch, "cpu", id="static-cpu"),
    pytest.param(GraphedEpoch, "cuda", id="graphed-cuda", marks=requires_cuda),
]


def make_data(task, seed, num_examples, device="cpu", dtype=torch.float64):
    """(features, labels): labels in [0, C) to classify, (N, 1) targets to regress."""
    features = make_tensor((num_examples, NUM_FEATURES), seed, dtype=dtype, device=device)
    generator = torch.Generator().manual_seed(seed)
    if task == "classify":
        labels = torch.randint(0, NUM_CLASSES, (num_examples,), generator=generator)
    else:
        labels = torch.randn((num_examples, 1), generator=generator, dtype=dtype)
    return features, labels.to(device)


def make_model(library, task, seed, hyperparameters, device="cpu", dtype=torch.float64):
    """A linear model from ``seed`` and an SGD of ``library`` over its parameters."""
    nn, optimizer_class = LIBRARIES[library]
    out_features = NUM_CLASSES if task == "classify" else 1
    torch.manual_seed(seed)
    net = nn.Linear(NUM_FEATURES, out_features, device=device, dtype=dtype)
    return net, optimizer_class(net.parameters(), **hyperparameters)


def make_loss(library, task, reduction):
    nn = LIBRARIES[library][0]
    if task == "classify":
        return nn.CrossEntropyLoss(reduction=reduction)
    return nn.MSELoss(reduction=reduction)


def generator_on(device, seed):
    return torch.Generator(device).manual_seed(seed)


def assert_same_training_state(net, optimizer, reference, reference_optimizer):
    """Parameters, their gradients and the optimizer state (momentum buffers) match."""
    for param, expected in zip(net.parameters(), reference.parameters()):
        torch.testing.assert_close(param.detach(), expected.detach())
        torch.testing.assert_close(param.grad, expected.grad)
    state = optimizer.state_dict()["state"]
    expected_state = reference_optimizer.state_dict()["state"]
    assert state.keys() == expected_state.keys()
    for index, entries in state.items():
        torch.testing.assert_close(entries, expected_state[index])


def snapshot(net, optimizer, generator):
    return (
        [param.detach().clone() for param in net.parameters()],
        [param.grad for param in net.parameters()],
        optimizer.state_dict()["state"],
        generator.get_state(),
    )


def assert_untouched(before, net, optimizer, generator):
    """Nothing changed since ``snapshot``: no step, no gradient, no state, no draw."""
    params, grads, state, generator_state = before
    for param, old in zip(net.parameters(), params):
        assert torch.equal(param.detach(), old)
    assert [param.grad for param in net.parameters()] == grads
    assert optimizer.state_dict()["state"] == state
    assert torch.equal(generator.get_state(), generator_state)


problems = st.tuples(
    st.sampled_from(["classify", "regress"]), seeds, st.integers(1, 20), st.integers(1, 8)
)


# --- the recorded code trains as train_epoch does ---------------------------------------


@pytest.mark.parametrize("epoch_class, device", EPOCHS)
@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(problem=problems, hyperparameters=sgd_hyperparameters(), shuffle=st.booleans())
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


# --- what cannot be recorded is refused before anything changes -------------------------


def sgd_updater(params):
    def updater(batch_size):
        scratch.sgd(params, 0.1, batch_size)

    return updater


# Each case: the arguments it replaces, made from the good net and data (X, y), then the
# exception and its message.
BAD_ARGUMENTS = {
    "custom updater": (
        lambda net, X, y: {"optimizer": sgd_updater(list(net.parameters()))},
        TypeError,
        "torch.optim.SGD.*got updater",
    ),
    "another optimizer": (
        lambda net, X, y: {"optimizer": torch.optim.Adam(net.parameters())},
        TypeError,
        "got Adam",
    ),
    "tensor learning rate": (
        lambda net, X, y: {"optimizer": torch.optim.SGD(net.parameters(), lr=torch.tensor(0.1))},
        TypeError,
        "param group 0 has a tensor lr",
    ),
    "loss function": (
        lambda net, X, y: {"loss": scratch.cross_entropy},
        TypeError,
        "loss module with a reduction.*got cross_entropy",
    ),
    "unknown reduction": (
        lambda net, X, y: {"loss": minitorch_lr.nn.CrossEntropyLoss(reduction="batchmean")},
        ValueError,
        "batchmean is not a valid value for reduction",
    ),
    "zero batch size": (lambda net, X, y: {"batch_size": 0}, ValueError, "batch_size=0"),
    "bool batch size": (lambda net, X, y: {"batch_size": True}, ValueError, "batch_size=True"),
    "features not a tensor": (
        lambda net, X, y: {"features": X.tolist()},
        TypeError,
        "features must be a torch.Tensor, got list",
    ),
    "0-d labels": (lambda net, X, y: {"labels": y[0]}, ValueError, "labels is 0-d"),
    "fewer labels": (
        lambda net, X, y: {"labels": y[:-1]},
        ValueError,
        "features hold 10 examples but labels hold 9",
    ),
    "no examples": (
        lambda net, X, y: {"features": X[:0], "labels": y[:0]},
        ValueError,
        r"shape \(0, 4\) hold no examples",
    ),
    "labels on another device": (
        lambda net, X, y: {"labels": y.to("meta")},
        ValueError,
        "labels are on meta but features on cpu",
    ),
}


@pytest.mark.parametrize("epoch_class", [StaticEpoch, GraphedEpoch])
@pytest.mark.parametrize("case", BAD_ARGUMENTS)
def test_epoch_refuses_what_it_cannot_record_before_anything_changes(epoch_class, case):
    """For GraphedEpoch these checks come before the one for CUDA, so they run here too."""
    make_bad, error, message = BAD_ARGUMENTS[case]
    features, labels = make_data("classify", 0, 10)
    net, optimizer = make_model("minitorch_lr", "classify", 0, {"lr": 0.1})
    generator = generator_on("cpu", 0)
    arguments = {
        "net": net,
        "loss": minitorch_lr.nn.CrossEntropyLoss(),
        "optimizer": optimizer,
        "features": features,
        "labels": labels,
        "batch_size": 4,
    }
    arguments.update(make_bad(net, features, labels))
    before = snapshot(net, optimizer, generator)
    with pytest.raises(error, match=message):
        epoch_class(**arguments, generator=generator)
    assert_untouched(before, net, optimizer, generator)


def test_static_epoch_refuses_parameters_on_another_device_than_the_data():
    features, labels = make_data("classify", 0, 10)
    net, optimizer = make_model("minitorch_lr", "classify", 0, {"lr": 0.1}, device="meta")
    with pytest.raises(ValueError, match=r"shape \(3, 4\) is on meta but the data are on cpu"):
        StaticEpoch(net, minitorch_lr.nn.CrossEntropyLoss(), optimizer, features, labels, 4)


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the behaviour without CUDA")
@pytest.mark.parametrize("build", ["constructor", "from_loader"])
def test_graphed_epoch_without_cuda_raises_runtime_error_before_anything_changes(build):
    features, labels = make_data("classify", 0, 10)
    net, optimizer = make_model("minitorch_lr", "classify", 0, {"lr": 0.1})
    loss = minitorch_lr.nn.CrossEntropyLoss()
    generator = generator_on("cpu", 0)
    before = snapshot(net, optimizer, generator)
    with pytest.raises(RuntimeError, match=r"needs a CUDA device.*Train with train_epoch"):
        if build == "constructor":
            GraphedEpoch(net, loss, optimizer, features, labels, 4, generator=generator)
        else:
            loader = ArrayLoader((features, labels), 4, shuffle=True, generator=generator)
            GraphedEpoch.from_loader(net, loader, loss, optimizer)
    assert_untouched(before, net, optimizer, generator)


def test_graphed_epoch_refuses_data_off_the_gpu_before_touching_cuda(monkeypatch):
    """CUDA is made to look available, so the data's device is the check that fails.
    Without a GPU, any CUDA call made before that check would raise another error."""
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    features, labels = make_data("classify", 0, 10)
    net, optimizer = make_model("minitorch_lr", "classify", 0, {"lr": 0.1})
    generator = generator_on("cpu", 0)
    before = snapshot(net, optimizer, generator)
    with pytest.raises(ValueError, match=r"are on cpu, but a CUDA graph records GPU work"):
        GraphedEpoch(
            net,
            minitorch_lr.nn.CrossEntropyLoss(),
            optimizer,
            features,
            labels,
            4,
            generator=generator,
        )
    assert_untouched(before, net, optimizer, generator)


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the behaviour without CUDA")
def test_gpu_check_script_exits_with_a_message_without_cuda(tmp_path):
    root = Path(__file__).resolve().parents[1]
    environment = {**os.environ, "PYTHONPATH": str(root), "OUT": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "gpu_cuda_graph.py")],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "needs a CUDA device" in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- on a GPU: softmax regression, and re-recording when something changes ----------------


def softmax_problem(library, device, momentum):
    """Images (N, 1, 4, 4) in 5 classes, Flatten + Linear, as in the chapter; float32."""
    nn, optimizer_class = LIBRARIES[library]
    generator = torch.Generator().manual_seed(0)
    images = torch.rand((1000, 1, 4, 4), generator=generator).to(device)
    labels = torch.randint(0, 5, (1000,), generator=generator).to(device)
    torch.manual_seed(0)
    pair = []
    for _ in range(2):
        net = nn.Sequential(nn.Flatten(), nn.Linear(16, 5)).to(device)
        pair.append((net, optimizer_class(net.parameters(), lr=0.1, momentum=momentum)))
    pair[1][0].load_state_dict(pair[0][0].state_dict())
    return images, labels, nn.CrossEntropyLoss(reduction="none"), pair


@requires_cuda
@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize("generator_device", ["cpu", "cuda"])
def test_graphed_softmax_regression_matches_the_eager_loop(library, generator_device):
    """1000 examples in batches of 64: 15 full ones and a last one of 40. float32, with
    torch.testing's float32 defaults: the replay runs the eager loop's kernels."""
    images, labels, loss, [(net, optimizer), (reference, reference_optimizer)] = softmax_problem(
        library, "cuda", momentum=0.9
    )
    epoch = GraphedEpoch(
        net, loss, optimizer, images, labels, 64, generator=generator_on(generator_device, 3)
    )
    loader = ArrayLoader(
        (images, labels), 64, shuffle=True, generator=generator_on(generator_device, 3)
    )
    for _ in range(NUM_EPOCHS):
        metrics = epoch()
        expected_metrics = train_epoch(reference, loader, loss, reference_optimizer)
        torch.testing.assert_close(metrics, expected_metrics)
        assert_same_training_state(net, optimizer, reference, reference_optimizer)
    assert epoch.num_captures == 1


def set_learning_rate(net, optimizer):
    for group in optimizer.param_groups:
        group["lr"] = 0.05


def clear_gradients(net, optimizer):
    optimizer.zero_grad()


def reload_optimizer_state(net, optimizer):
    # New momentum buffers, at new addresses, holding the same values. A copy: torch's
    # loading keeps the very tensors it is given when they are on the right device.
    optimizer.load_state_dict(copy.deepcopy(optimizer.state_dict()))


@requires_cuda
@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize("change", [set_learning_rate, clear_gradients, reload_optimizer_state])
def test_graphed_epoch_records_again_after_a_change_between_epochs(library, change):
    images, labels, loss, [(net, optimizer), (reference, reference_optimizer)] = softmax_problem(
        library, "cuda", momentum=0.9
    )
    epoch = GraphedEpoch(
        net, loss, optimizer, images, labels, 64, generator=generator_on("cuda", 0)
    )
    loader = ArrayLoader((images, labels), 64, shuffle=True, generator=generator_on("cuda", 0))
    for completed in range(1, 5):
        if completed == 3:
            change(net, optimizer)
            change(reference, reference_optimizer)
        metrics = epoch()
        expected_metrics = train_epoch(reference, loader, loss, reference_optimizer)
        torch.testing.assert_close(metrics, expected_metrics)
        assert_same_training_state(net, optimizer, reference, reference_optimizer)
    assert epoch.num_captures == 2


@requires_cuda
def test_graphed_epoch_refuses_parameters_off_the_data_gpu():
    images, labels, loss, [(net, optimizer), _] = softmax_problem("torch", "cpu", momentum=0.0)
    with pytest.raises(ValueError, match="is on cpu but the data are on cuda:0"):
        GraphedEpoch(net, loss, optimizer, images.cuda(), labels.cuda(), 64)
