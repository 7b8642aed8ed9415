r"""The chapter's two programs as functions: linear regression and softmax regression.

Each program comes in the chapter's two forms, from scratch (:mod:`minitorch_lr.scratch`)
and concise (``nn`` and ``optim``). The concise builders take the ``nn`` and ``optim`` to
build with as arguments, so the same lines build the ``torch.nn`` twin of a model: the
tests train both and compare them, the benchmarks time both. This file is the one copy of
the programs; the command line (``minitorch-lr linreg``, ``minitorch-lr softmax``), the
figures of the docs, the tests and the benchmarks all call it.

- Each builder returns a :class:`Model`: the net, the loss, the updater, the parameters.
- Linear regression: :data:`TRUE_W` and :data:`TRUE_B` are the line the synthetic data is
  drawn from (:func:`linreg_data`); :func:`linreg_concise` and :func:`linreg_scratch`
  build the model; :func:`fit_linreg` runs the whole program from one seed and reports
  the loss after each epoch.
- Softmax regression: :func:`softmax_concise` and :func:`softmax_scratch` build the model
  (weights from :math:`\mathcal{N}(0, 0.01^2)`, zero bias, learning rate 0.1);
  :func:`fit_softmax` trains it with :func:`minitorch_lr.train.train`.
- Beyond the chapter, the concise model trains with momentum and a learning-rate
  schedule (:func:`lr_schedule`): ``fit_softmax(..., lr=0.05, momentum=0.9,
  schedule="cosine", num_epochs=30)`` is the recipe of ``minitorch-lr softmax
  --momentum 0.9 --schedule cosine --epochs 30 --lr 0.05``.

Randomness is explicit: every draw comes from the ``generator`` given, in a fixed order,
so one seed gives one run.

Left out: the chapter's prose; see the tutorial pages.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from . import _checks, data, nn, optim, scratch
from .train import stop_if_diverged, train, train_epoch

__all__ = [
    "LINREG_LR",
    "SCHEDULES",
    "SOFTMAX_LR",
    "TRUE_B",
    "TRUE_W",
    "LinregResult",
    "Model",
    "fit_linreg",
    "fit_softmax",
    "linreg_concise",
    "linreg_data",
    "linreg_scratch",
    "lr_schedule",
    "softmax_concise",
    "softmax_scratch",
]

TRUE_W = (2.0, -3.4)
"""The weights of the line the synthetic data is drawn from."""
TRUE_B = 4.2
"""The bias of that line."""
LINREG_LR = 0.03
"""The chapter's learning rate for linear regression."""
SOFTMAX_LR = 0.1
"""The chapter's learning rate for softmax regression."""
SCHEDULES = ("constant", "cosine")
"""The learning-rate schedules of :func:`lr_schedule`: the chapter's constant rate, and
cosine annealing beyond it."""


@dataclass(frozen=True)
class Model:
    """A model ready for :func:`~minitorch_lr.train.train_epoch`, and its parameters.

    Attributes:
        net: the model, ``net(X)``: a Module (concise) or a function (from scratch).
        loss: ``loss(y_hat, y)``: a loss module, or a function of per-example losses.
        updater: an optimizer (concise) or the chapter's ``updater(batch_size)``.
        params: the weight and the bias, in that order.
    """

    net: Callable
    loss: Callable
    updater: Any
    params: tuple


def linreg_data(num_examples=1000, *, device=None, generator=None):
    """``(features, labels)`` drawn from :data:`TRUE_W`, :data:`TRUE_B` plus noise of
    std 0.01, with :func:`~minitorch_lr.scratch.synthetic_data`.

    Shape:
        - features: :math:`(N, 2)`; labels: :math:`(N, 1)`.
    """
    true_w = torch.tensor(TRUE_W, device=device)
    return scratch.synthetic_data(true_w, TRUE_B, num_examples, generator=generator)


def linreg_concise(nn, optim, *, lr=LINREG_LR, device=None, generator=None):
    """The concise model, a :class:`Model` with an optimizer.

    ``Sequential(Linear(2, 1))`` with weights drawn from :math:`\\mathcal{N}(0, 0.01^2)`
    and a zero bias, ``MSELoss`` and ``SGD``, built with the ``nn`` and ``optim`` given
    (``minitorch_lr``'s or torch's).
    """
    net = nn.Sequential(nn.Linear(2, 1, device=device))
    nn.init.normal_(net[0].weight, std=0.01, generator=generator)
    nn.init.zeros_(net[0].bias)
    optimizer = optim.SGD(net.parameters(), lr=lr)
    return Model(net, nn.MSELoss(), optimizer, (net[0].weight, net[0].bias))


def linreg_scratch(*, lr=LINREG_LR, device=None, generator=None):
    """The from-scratch model, a :class:`Model` with an ``updater(batch_size)``.

    ``net(X)`` is :func:`~minitorch_lr.scratch.linreg`, ``loss`` the halved
    :func:`~minitorch_lr.scratch.squared_loss`, ``updater(batch_size)`` one
    :func:`~minitorch_lr.scratch.sgd` step of ``w`` (2, 1) and ``b`` (1,).
    """
    w = torch.normal(0, 0.01, (2, 1), generator=generator, device=device).requires_grad_()
    b = torch.zeros(1, device=device, requires_grad=True)

    def net(X):
        return scratch.linreg(X, w, b)

    def updater(batch_size):
        scratch.sgd([w, b], lr, batch_size)

    return Model(net, scratch.squared_loss, updater, (w, b))


@dataclass(frozen=True)
class LinregResult:
    """What :func:`fit_linreg` learned and measured.

    Attributes:
        w: the learned weights, shape (2,); b: the learned bias, a float.
        losses: after each epoch, the mean loss over all examples (``MSELoss``, or the
            halved ``squared_loss`` from scratch).
    """

    w: torch.Tensor
    b: float
    losses: list


def fit_linreg(
    *,
    from_scratch=False,
    num_examples=1000,
    lr=0.03,
    batch_size=10,
    num_epochs=3,
    seed=0,
    device=None,
    on_epoch=None,
):
    """The whole linear-regression program from one seed: draw the data, build the model,
    train it; return a :class:`LinregResult`.

    One generator, seeded with ``seed`` on ``device``, draws the data, then the initial
    weights, then (concise) each epoch's order, as the chapter's ``load_array`` shuffles.
    From scratch, the orders come from a CPU generator of the same seed instead, since the
    chapter's ``data_iter`` shuffles on the host.

    ``on_epoch(epoch, loss)`` is called after each epoch (1 for the first) with its loss
    over all examples. Like :func:`~minitorch_lr.train.train`, training stops with
    ``FloatingPointError`` when that loss is not finite, and a ``KeyboardInterrupt``
    propagates unchanged; the epochs completed are those passed to ``on_epoch``.

    Raises:
        ValueError: ``seed`` is not an integer that ``torch.Generator`` takes.
        FloatingPointError: training diverged.
    """
    _checks.seed(seed, "seed")
    generator = torch.Generator(device=device).manual_seed(seed)
    features, labels = linreg_data(num_examples, device=device, generator=generator)
    if from_scratch:
        model = linreg_scratch(lr=lr, device=device, generator=generator)
        order_generator = torch.Generator().manual_seed(seed)

        def batches():
            return scratch.data_iter(batch_size, features, labels, order_generator)

    else:
        model = linreg_concise(nn, optim, lr=lr, device=device, generator=generator)
        loader = data.load_array((features, labels), batch_size, generator=generator)

        def batches():
            return loader

    losses = []
    for epoch in range(1, num_epochs + 1):
        train_epoch(model.net, batches(), model.loss, model.updater)
        with torch.no_grad():
            loss = float(model.loss(model.net(features), labels).mean())
        stop_if_diverged(loss, epoch)
        losses.append(loss)
        if on_epoch is not None:
            on_epoch(epoch, loss)
    w, b = (param.detach() for param in model.params)
    return LinregResult(w.reshape(-1), float(b), losses)


def softmax_concise(nn, optim, *, lr=SOFTMAX_LR, momentum=0.0, device=None, generator=None):
    """The concise model, a :class:`Model` with an optimizer.

    ``Sequential(Flatten(), Linear(784, 10))`` with weights drawn from
    :math:`\\mathcal{N}(0, 0.01^2)` and a zero bias, ``CrossEntropyLoss`` and ``SGD``
    (with ``momentum``, 0 in the chapter), built with the ``nn`` and ``optim`` given
    (``minitorch_lr``'s or torch's).
    """
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10, device=device))
    nn.init.normal_(net[1].weight, std=0.01, generator=generator)
    nn.init.zeros_(net[1].bias)
    optimizer = optim.SGD(net.parameters(), lr=lr, momentum=momentum)
    return Model(net, nn.CrossEntropyLoss(), optimizer, (net[1].weight, net[1].bias))


def softmax_scratch(*, lr=SOFTMAX_LR, device=None, generator=None):
    """The from-scratch model, a :class:`Model` with an ``updater(batch_size)``.

    ``net(X)`` is :func:`~minitorch_lr.scratch.softmax` of ``X.reshape(-1, 784) @ W + b``
    (probabilities), ``loss`` the naive :func:`~minitorch_lr.scratch.cross_entropy`,
    ``updater(batch_size)`` one :func:`~minitorch_lr.scratch.sgd` step.
    """
    W = torch.normal(0, 0.01, (784, 10), generator=generator, device=device).requires_grad_()
    b = torch.zeros(10, device=device, requires_grad=True)

    def net(X):
        return scratch.softmax(X.reshape(-1, W.shape[0]) @ W + b)

    def updater(batch_size):
        scratch.sgd([W, b], lr, batch_size)

    return Model(net, scratch.cross_entropy, updater, (W, b))


def lr_schedule(optim, optimizer, schedule, num_epochs):
    """The scheduler of ``schedule`` for ``optimizer``, built with the ``optim`` given
    (``minitorch_lr``'s or torch's), to be stepped once after each of ``num_epochs``.

    - ``"constant"``: the chapter's fixed rate; no scheduler, ``None``.
    - ``"cosine"``: ``CosineAnnealingLR(optimizer, T_max=num_epochs)``, from the
      optimizer's rate down along half a cosine; epoch :math:`e` trains at
      :math:`\\tfrac12 \\eta_0 (1 + \\cos(\\pi (e - 1) / E))` of :math:`E` epochs.
    """
    _check_schedule(schedule)
    if schedule == "constant":
        return None
    return optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=num_epochs)


def _check_schedule(schedule):
    if schedule not in SCHEDULES:
        raise ValueError(f"schedule must be one of {', '.join(SCHEDULES)}, got {schedule!r}")


def fit_softmax(
    train_iter,
    test_iter,
    *,
    from_scratch=False,
    lr=SOFTMAX_LR,
    momentum=0.0,
    schedule="constant",
    num_epochs=10,
    device=None,
    generator=None,
    **train_options,
):
    """Build softmax regression and train it; return ``(model, history)``.

    The initial weights are drawn from ``generator`` now, before the first epoch draws
    its order (from the generator of ``train_iter``, usually the same one). ``history``
    is :func:`~minitorch_lr.train.train`'s, one record per epoch; ``train_options``
    (``progress``, ``plot_path``, ``cuda_graph``) go to it unchanged.

    ``momentum`` (for ``SGD``) and ``schedule`` (one of :data:`SCHEDULES`, see
    :func:`lr_schedule`) go beyond the chapter, for the concise model only: the chapter's
    from-scratch ``sgd`` has neither.
    """
    _check_schedule(schedule)
    if from_scratch and (momentum != 0 or schedule != "constant"):
        raise ValueError(
            "the from-scratch sgd has no momentum and no schedule: train the concise model "
            f"for momentum={momentum} and schedule={schedule!r}"
        )
    if from_scratch:
        model = softmax_scratch(lr=lr, device=device, generator=generator)
        scheduler = None
    else:
        model = softmax_concise(
            nn, optim, lr=lr, momentum=momentum, device=device, generator=generator
        )
        scheduler = lr_schedule(optim, model.updater, schedule, num_epochs)
    history = train(
        model.net,
        train_iter,
        test_iter,
        model.loss,
        num_epochs,
        model.updater,
        scheduler=scheduler,
        **train_options,
    )
    return model, history
