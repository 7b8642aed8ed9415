"""The training loop: each updater kind gets the right gradient for every loss reduction.

``train_epoch`` is checked against a reference written out step by step with
``torch.autograd.grad`` and ``torch.nn.functional``: after one epoch, the parameters, the
reported mean loss and the accuracy must match. Models are torch.nn's, and losses and SGD
come from both libraries, so the loop is checked on either; ``tests/test_chapter.py`` runs
the chapter's code on minitorch_lr's own layers.
"""

import math

import pytest
import torch
from hypothesis import given

import minitorch_lr.nn
import minitorch_lr.optim.lr_scheduler
from minitorch_lr import scratch
from minitorch_lr.data import load_array
from minitorch_lr.optim import SGD
from minitorch_lr.testing.strategies import training_problems
from minitorch_lr.train import (
    EpochRecord,
    evaluate_accuracy,
    stop_if_diverged,
    train,
    train_epoch,
)
from tests.train.problems import (
    LIBRARIES,
    LR,
    NUM_FEATURES,
    REDUCTIONS,
    assert_epoch_matches,
    loss_module,
    make_batches,
    make_model,
    per_example_loss,
    reference_epoch,
)

# --- train_epoch: an optimizer gets the gradient of the loss as the loss defines it -----


@pytest.mark.parametrize("library", ["minitorch_lr", "torch"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(problem=training_problems)
def test_train_epoch_with_optimizer_steps_on_the_loss_as_reduced(library, reduction, problem):
    task, seed, num_examples, batch_size = problem
    batches = make_batches(task, seed, num_examples, batch_size)
    model = make_model(task, seed)
    # 'sum' steps along the summed gradient, B times the mean one; 'none' is averaged
    # first, as torch's default reduction would.
    expected = reference_epoch(
        task, model, batches, (lambda B: B) if reduction == "sum" else (lambda B: 1)
    )
    nn, optimizer_class = LIBRARIES[library]
    result = train_epoch(
        model, batches, loss_module(task, reduction, nn), optimizer_class(model.parameters(), lr=LR)
    )
    assert_epoch_matches(model, result, expected)


# --- train_epoch: an updater(batch_size) gets the gradient of the summed loss -------------


@pytest.mark.parametrize(
    "library, reduction",
    [(library, reduction) for library in LIBRARIES for reduction in REDUCTIONS]
    + [(None, "function")],
)
@given(problem=training_problems)
def test_train_epoch_with_updater_function_steps_on_the_mean_gradient(library, reduction, problem):
    """Whatever the reduction, ``updater(B)`` divides the summed gradient by B once.

    The chapter's loop did ``l.sum().backward()``; with a 'mean' loss that gradient is
    already divided by B, so its step came out B times too small. 'function' is a plain
    per-example loss function like ``scratch.squared_loss``.
    """
    task, seed, num_examples, batch_size = problem
    batches = make_batches(task, seed, num_examples, batch_size)
    model = make_model(task, seed)
    expected = reference_epoch(task, model, batches, lambda B: 1)
    if reduction == "function":
        loss = lambda output, y: per_example_loss(task, output, y)  # noqa: E731
    else:
        loss = loss_module(task, reduction, LIBRARIES[library][0])
    params = list(model.parameters())

    def updater(batch_size):
        with torch.no_grad():
            for param in params:
                param -= LR * param.grad / batch_size
                param.grad.zero_()

    result = train_epoch(model, batches, loss, updater)
    assert_epoch_matches(model, result, expected)


def test_train_epoch_trains_the_scratch_model_like_torch_nn():
    """The chapter's from-scratch softmax regression and torch.nn's, from the same start,
    stay equal through an epoch: naive softmax + cross_entropy + sgd(params, lr, B)
    against CrossEntropyLoss + torch.optim.SGD."""
    batches = make_batches("classify", 0, 50, 8)
    model = make_model("classify", 0)
    W = model.weight.detach().t().clone().requires_grad_()
    b = model.bias.detach().clone().requires_grad_()

    def net(X):
        return scratch.softmax(X @ W + b)

    ours = train_epoch(net, batches, scratch.cross_entropy, lambda B: scratch.sgd([W, b], LR, B))
    theirs = train_epoch(
        model, batches, torch.nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=LR)
    )
    torch.testing.assert_close(W.detach(), model.weight.detach().t())
    torch.testing.assert_close(b.detach(), model.bias.detach())
    assert math.isclose(ours[0], theirs[0], rel_tol=1e-12)
    assert ours[1] == theirs[1]


def test_train_epoch_rejects_an_updater_of_neither_kind_before_any_step():
    batches = make_batches("classify", 0, 10, 4)
    model = make_model("classify", 0).eval()
    before = [param.detach().clone() for param in model.parameters()]
    with pytest.raises(TypeError, match="updater must be an optimizer.*got float"):
        train_epoch(model, batches, torch.nn.CrossEntropyLoss(), 0.1)
    assert not model.training
    for param, old in zip(model.parameters(), before):
        assert torch.equal(param, old)


def test_train_epoch_rejects_an_empty_iterable():
    model = make_model("classify", 0)
    with pytest.raises(ValueError, match="no examples"):
        train_epoch(
            model, [], torch.nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=LR)
        )


def test_train_epoch_puts_the_model_in_training_mode():
    model = make_model("classify", 0).eval()
    train_epoch(
        model,
        make_batches("classify", 0, 8, 4),
        torch.nn.CrossEntropyLoss(),
        torch.optim.SGD(model.parameters(), lr=LR),
    )
    assert model.training


class HostReadCounter:
    """Counts the ways a tensor's value can be read into Python (each one a device sync)."""

    METHODS = ("__float__", "__int__", "__bool__", "__index__", "item", "tolist")

    def __init__(self, monkeypatch):
        self.count = 0
        for name in self.METHODS:
            original = getattr(torch.Tensor, name)
            monkeypatch.setattr(torch.Tensor, name, self._counting(original))

    def _counting(self, original):
        def method(tensor, *args, **kwargs):
            self.count += 1
            return original(tensor, *args, **kwargs)

        return method


@pytest.mark.parametrize("updater_kind", ["optimizer", "function"])
def test_train_epoch_reads_the_device_a_fixed_number_of_times_not_once_per_step(
    monkeypatch, updater_kind
):
    counts = []
    for num_batches in (2, 9):
        batches = make_batches("classify", 0, 4 * num_batches, 4)
        model = make_model("classify", 0)
        if updater_kind == "optimizer":
            updater = SGD(model.parameters(), lr=LR)
        else:
            params = list(model.parameters())
            updater = lambda B, params=params: scratch.sgd(params, LR, B)  # noqa: E731
        loss = torch.nn.CrossEntropyLoss()
        with monkeypatch.context() as patch:
            counter = HostReadCounter(patch)
            train_epoch(model, batches, loss, updater)
            evaluate_accuracy(model, batches)
        counts.append(counter.count)
    assert counts[0] == counts[1], f"host reads grew with the number of batches: {counts}"


# --- train: history, divergence, progress, plots ----------------------------------------


def test_train_history_repeats_what_train_epoch_and_evaluate_accuracy_report():
    train_batches = make_batches("classify", 5, 30, 8)
    test_batches = make_batches("classify", 6, 12, 8)
    model, twin = make_model("classify", 5), make_model("classify", 5)
    loss = torch.nn.CrossEntropyLoss(reduction="none")
    history = train(
        model, train_batches, test_batches, loss, 3, SGD(model.parameters(), lr=LR), progress=False
    )
    twin_updater = SGD(twin.parameters(), lr=LR)
    assert [record.epoch for record in history] == [1, 2, 3]
    for record in history:
        assert isinstance(record, EpochRecord)
        train_loss, train_acc = train_epoch(twin, train_batches, loss, twin_updater)
        assert (record.train_loss, record.train_acc) == (train_loss, train_acc)
        assert record.test_acc == evaluate_accuracy(twin, test_batches)
        assert record.seconds > 0


def test_train_records_each_epochs_time_from_its_start_to_the_end_of_its_evaluation(
    monkeypatch,
):
    """A fake clock that a batch moves on by 1 s in training and by 100 s in evaluation:
    an epoch of 3 training and 3 test batches took 303 s, and is recorded so."""
    from minitorch_lr.train import loop

    clock = {"now": 0.0}
    monkeypatch.setattr(loop.time, "perf_counter", lambda: clock["now"])
    model = make_model("classify", 0)

    def timed_model(X):
        clock["now"] += 1.0 if torch.is_grad_enabled() else 100.0
        return model(X)

    batches = make_batches("classify", 0, 12, 4)
    history = train(
        timed_model,
        batches,
        batches,
        torch.nn.CrossEntropyLoss(),
        2,
        SGD(model.parameters(), lr=LR),
        progress=False,
    )
    assert [record.seconds for record in history] == [303.0, 303.0]


@pytest.mark.parametrize("num_epochs", [0, -1, 2.0])
def test_train_rejects_a_bad_number_of_epochs(num_epochs):
    model = make_model("classify", 0)
    with pytest.raises(ValueError, match="num_epochs must be a positive integer"):
        train(
            model, [], [], torch.nn.CrossEntropyLoss(), num_epochs, SGD(model.parameters(), lr=LR)
        )


def test_train_stops_with_floating_point_error_naming_epoch_and_cause():
    """The naive softmax overflows on logits past ~710 (float64): exp gives inf, the loss
    nan. Training must stop there rather than carry on with nan parameters."""
    batches = [
        (
            torch.full((4, NUM_FEATURES), 1000.0, dtype=torch.float64),
            torch.zeros(4, dtype=torch.int64),
        )
    ]
    model = make_model("classify", 0)
    with torch.no_grad():
        model.weight.fill_(1.0)

    def net(X):
        return scratch.softmax(model(X))

    with pytest.raises(FloatingPointError, match=r"epoch 1 is nan.*learning rate.*softmax"):
        train(
            net,
            batches,
            batches,
            scratch.cross_entropy,
            2,
            SGD(model.parameters(), lr=LR),
            progress=False,
        )


def test_train_progress_bar_on_request_and_silent_off_a_terminal(capsys):
    batches = make_batches("classify", 0, 8, 4)
    model = make_model("classify", 0)
    optimizer = SGD(model.parameters(), lr=LR)
    loss = torch.nn.CrossEntropyLoss()
    train(model, batches, batches, loss, 2, optimizer)  # stderr is captured: not a terminal
    assert capsys.readouterr().err == ""
    train(model, batches, batches, loss, 2, optimizer, progress=True)
    err = capsys.readouterr().err
    assert "2/2" in err and "loss=" in err and "test acc=" in err


def test_train_writes_the_curves_to_a_png(tmp_path):
    batches = make_batches("classify", 0, 8, 4)
    model = make_model("classify", 0)
    path = tmp_path / "curves.png"
    train(
        model,
        batches,
        batches,
        torch.nn.CrossEntropyLoss(),
        2,
        SGD(model.parameters(), lr=LR),
        progress=False,
        plot_path=path,
    )
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"



def test_train_hands_each_record_to_on_epoch_as_soon_as_the_epoch_ends():
    train_batches = make_batches("classify", 0, 8, 4)
    model = make_model("classify", 0)
    seen = []

    class CountingLoss(torch.nn.CrossEntropyLoss):
        calls = 0

        def forward(self, input, target):
            CountingLoss.calls += 1
            return super().forward(input, target)

    def on_epoch(record):
        seen.append((record, CountingLoss.calls))

    history = train(
        model,
        train_batches,
        train_batches,
        CountingLoss(),
        3,
        SGD(model.parameters(), lr=LR),
        progress=False,
        on_epoch=on_epoch,
    )
    assert [record for record, _ in seen] == history
    # Called after each epoch's batches (two per epoch), not after all epochs.
    assert [calls for _, calls in seen] == [2, 4, 6]


@pytest.mark.parametrize("with_plot", [False, True], ids=["no-plot", "plot"])
def test_an_interrupt_stops_within_its_batch_and_the_epochs_done_were_reported(
    tmp_path, with_plot
):
    """Ctrl-C in the third batch of epoch 2: no later batch runs, KeyboardInterrupt comes
    out unchanged, on_epoch saw epoch 1 only, and the curves file is whole."""
    train_batches = make_batches("classify", 0, 16, 4)  # four batches per epoch
    model = make_model("classify", 0)
    calls = []

    def interrupting_loss(input, target):
        calls.append(len(calls) + 1)
        if len(calls) == 4 + 3:
            raise KeyboardInterrupt
        return torch.nn.functional.cross_entropy(input, target)

    reported = []
    path = tmp_path / "curves.png"
    with pytest.raises(KeyboardInterrupt):
        train(
            model,
            train_batches,
            train_batches,
            interrupting_loss,
            5,
            SGD(model.parameters(), lr=LR),
            progress=with_plot,  # a bar on stderr must not swallow or delay it either
            plot_path=path if with_plot else None,
            on_epoch=reported.append,
        )
    assert calls == list(range(1, 8))
    assert [record.epoch for record in reported] == [1]
    if with_plot:
        assert [p.name for p in tmp_path.iterdir()] == ["curves.png"]  # no partial file
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("loss", [math.nan, math.inf, -math.inf])
def test_stop_if_diverged_raises_on_a_loss_that_is_not_finite(loss):
    with pytest.raises(FloatingPointError, match=f"epoch 4 is {loss}: training diverged"):
        stop_if_diverged(loss, 4)
    stop_if_diverged(0.25, 4)  # a finite loss passes


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the behaviour without CUDA")
def test_train_with_cuda_graph_without_cuda_is_a_runtime_error_before_any_step():
    model = make_model("classify", 0)
    before = {key: value.clone() for key, value in model.state_dict().items()}
    loader = load_array(
        (torch.randn(8, NUM_FEATURES, dtype=torch.float64), torch.zeros(8, dtype=torch.long)), 4
    )
    with pytest.raises(RuntimeError, match="CUDA"):
        train(
            model,
            loader,
            loader,
            minitorch_lr.nn.CrossEntropyLoss(),
            1,
            SGD(model.parameters(), lr=LR),
            cuda_graph=True,
        )
    for key, value in model.state_dict().items():
        assert torch.equal(value, before[key])


# --- train with a learning-rate scheduler -------------------------------------------------


@pytest.mark.parametrize("library", ["minitorch_lr", "torch"])
def test_train_steps_the_scheduler_after_every_epoch_and_records_each_epochs_rate(library):
    """train(..., scheduler=) is the loop torch's docs write by hand: every epoch's
    optimizer steps, then one scheduler step. Both runs must give the same history."""
    optimizer_class = LIBRARIES[library][1]
    schedulers = {
        "minitorch_lr": minitorch_lr.optim.lr_scheduler,
        "torch": torch.optim.lr_scheduler,
    }[library]
    train_batches = make_batches("classify", 3, 24, 8)
    test_batches = make_batches("classify", 4, 12, 8)
    loss = torch.nn.CrossEntropyLoss()
    model, twin = make_model("classify", 3), make_model("classify", 3)
    optimizer = optimizer_class(model.parameters(), lr=LR, momentum=0.9)
    scheduler = schedulers.CosineAnnealingLR(optimizer, T_max=3)
    history = train(
        model, train_batches, test_batches, loss, 3, optimizer, scheduler=scheduler, progress=False
    )
    twin_optimizer = optimizer_class(twin.parameters(), lr=LR, momentum=0.9)
    twin_scheduler = schedulers.CosineAnnealingLR(twin_optimizer, T_max=3)
    for record in history:
        lr = twin_scheduler.get_last_lr()[0]
        train_loss, train_acc = train_epoch(twin, train_batches, loss, twin_optimizer)
        twin_scheduler.step()
        assert (record.train_loss, record.train_acc, record.lr) == (train_loss, train_acc, lr)
        assert record.test_acc == evaluate_accuracy(twin, test_batches)
    # (1 + cos(pi t / 3)) / 2 for t = 0, 1, 2, within rounding of the recursion.
    assert [record.lr for record in history] == pytest.approx([LR, LR * 0.75, LR * 0.25])
    assert scheduler.last_epoch == 3 and optimizer.param_groups[0]["lr"] == 0.0


def test_train_records_the_rate_of_an_optimizer_and_none_for_an_updater_function():
    batches = make_batches("classify", 0, 8, 4)
    model = make_model("classify", 0)
    loss = torch.nn.CrossEntropyLoss()
    history = train(model, batches, batches, loss, 2, SGD(model.parameters(), lr=0.3))
    assert [record.lr for record in history] == [0.3, 0.3]
    params = list(model.parameters())
    history = train(model, batches, batches, loss, 1, lambda B: scratch.sgd(params, LR, B))
    assert history[0].lr is None


def test_train_refuses_a_scheduler_of_another_optimizer_before_any_step():
    batches = make_batches("classify", 0, 8, 4)
    model = make_model("classify", 0)
    before = [param.detach().clone() for param in model.parameters()]
    optimizer = SGD(model.parameters(), lr=LR)
    other = minitorch_lr.optim.lr_scheduler.StepLR(SGD(model.parameters(), lr=LR), 1)
    with pytest.raises(ValueError, match="StepLR schedules another optimizer than updater"):
        train(model, batches, batches, torch.nn.CrossEntropyLoss(), 2, optimizer, scheduler=other)
    for param, old in zip(model.parameters(), before):
        assert torch.equal(param, old)
    assert other.last_epoch == 0
