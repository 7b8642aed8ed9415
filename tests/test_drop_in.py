"""The drop-in promise, on the book's own code.

The chapter's concise code, as d2l writes it (``net.apply(init_weights)``,
``weight.data.normal_``, the global generator), is transcribed once below with its ``nn``
and ``SGD`` passed in. Run with ``torch.nn`` / ``torch.optim.SGD`` and again with
``minitorch_lr.nn`` / ``minitorch_lr.optim.SGD``, from the same seed and over the same
batches, it must end with equal parameters and report equal numbers. The project's own
programs, written with explicit generators, are tested in ``test_chapter.py``.
"""

import torch
from hypothesis import given

import minitorch_lr.nn
import minitorch_lr.optim
from minitorch_lr import data, scratch
from minitorch_lr.testing.strategies import seeds
from minitorch_lr.train import train


def chapter_concise_softmax(nn, SGD, train_iter, test_iter, num_epochs):
    """Softmax regression as the chapter's concise section writes it."""
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))

    def init_weights(m):
        if type(m) == nn.Linear:  # noqa: E721 (the chapter's test, kept as it is)
            nn.init.normal_(m.weight, std=0.01)

    net.apply(init_weights)
    loss = nn.CrossEntropyLoss(reduction="none")
    trainer = SGD(net.parameters(), lr=0.1)
    history = train(net, train_iter, test_iter, loss, num_epochs, trainer, progress=False)
    return net, history


def chapter_concise_linreg(nn, SGD, data_iter, features, labels, num_epochs):
    """Linear regression as the chapter's concise section writes it."""
    net = nn.Sequential(nn.Linear(2, 1))
    net[0].weight.data.normal_(0, 0.01)
    net[0].bias.data.fill_(0)
    loss = nn.MSELoss()
    trainer = SGD(net.parameters(), lr=0.03)
    for _ in range(num_epochs):
        for X, y in data_iter:
            batch_loss = loss(net(X), y)
            trainer.zero_grad()
            batch_loss.backward()
            trainer.step()
    with torch.no_grad():
        return net, float(loss(net(features), labels))


def run_twice(chapter_code, seed, *args):
    """``chapter_code`` with torch's nn and SGD, then with ours, each from ``seed``.

    ``args`` are callables making fresh arguments, so both runs see the same batch order.
    The global generator is restored afterwards: the chapter's code draws from it.
    """
    results = []
    for nn, SGD in ((torch.nn, torch.optim.SGD), (minitorch_lr.nn, minitorch_lr.optim.SGD)):
        with torch.random.fork_rng():
            torch.manual_seed(seed)
            results.append(chapter_code(nn, SGD, *(make() for make in args)))
    return results


def assert_same_state(ours, theirs):
    assert type(ours) is minitorch_lr.nn.Sequential and type(theirs) is torch.nn.Sequential
    ours, theirs = ours.state_dict(), theirs.state_dict()
    assert list(ours) == list(theirs)
    for key in theirs:
        torch.testing.assert_close(ours[key], theirs[key])


def assert_close_as_float32(ours, theirs):
    """Python floats computed in float32: float32's default tolerances apply, not float64's."""
    torch.testing.assert_close(
        torch.tensor(ours, dtype=torch.float32), torch.tensor(theirs, dtype=torch.float32)
    )


@given(seed=seeds)
def test_drop_in_concise_softmax_regression_gives_torch_nn_parameters(seed):
    generator = torch.Generator().manual_seed(seed)
    images = torch.rand((200, 1, 28, 28), generator=generator)
    labels = torch.randint(0, 10, (200,), generator=generator)
    (net_torch, history_torch), (net_ours, history_ours) = run_twice(
        chapter_concise_softmax,
        seed,
        lambda: data.load_array(
            (images, labels), 64, generator=torch.Generator().manual_seed(seed)
        ),
        lambda: data.load_array((images[:100], labels[:100]), 64, is_train=False),
        lambda: 2,
    )
    assert_same_state(net_ours, net_torch)
    for ours, theirs in zip(history_ours, history_torch):
        assert_close_as_float32(ours.train_loss, theirs.train_loss)
        # Equal parameters up to float32 rounding can still flip the argmax of a near
        # tie, so the accuracies may differ by one example (1/200 of train, 1/100 of test).
        assert abs(ours.train_acc - theirs.train_acc) <= 1 / 200
        assert abs(ours.test_acc - theirs.test_acc) <= 1 / 100


@given(seed=seeds)
def test_drop_in_concise_linear_regression_gives_torch_nn_parameters(seed):
    generator = torch.Generator().manual_seed(seed)
    features, labels = scratch.synthetic_data(
        torch.tensor([2, -3.4]), 4.2, 200, generator=generator
    )
    (net_torch, loss_torch), (net_ours, loss_ours) = run_twice(
        chapter_concise_linreg,
        seed,
        lambda: data.load_array(
            (features, labels), 10, generator=torch.Generator().manual_seed(seed)
        ),
        lambda: features,
        lambda: labels,
        lambda: 3,
    )
    assert_same_state(net_ours, net_torch)
    assert_close_as_float32(loss_ours, loss_torch)
