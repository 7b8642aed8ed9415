"""The chapter's training loop: one epoch, then many epochs with evaluation after each.

Mirrors d2l's ``train_epoch_ch3`` and ``train_ch3``, with four fixes:

- ``train_epoch`` takes either kind of updater (an optimizer, or the from-scratch
  ``updater(batch_size)``) and a loss with any reduction, and hands each updater the
  gradient it expects. The chapter's loop handled one kind at a time.
- Metrics are summed where the model runs (CPU or GPU) and read once per epoch, so the
  loop never waits for the device inside an epoch (``metrics.py`` measures each batch).
- ``train`` stops with ``FloatingPointError`` when the loss stops being finite, instead of
  training on NaN parameters (:func:`stop_if_diverged`, shared with the chapter's linear
  regression).
- ``train`` hands each epoch's record to ``on_epoch`` as soon as the epoch ends, so that a
  caller can print it then, and knows what was done if training stops early.

Beyond the chapter, ``train`` steps a learning-rate scheduler after every epoch, and
records each epoch's learning rate.

Left out: checkpoints, early stopping, several devices. The plots come from
:mod:`minitorch_lr.plot`, imported only when asked for, so training works on a machine
without a display.
"""

import math
import sys
import time
from dataclasses import dataclass

from tqdm import tqdm

from .._checks import positive_int
from .metrics import Accumulator, count_correct, evaluate_accuracy, summed_loss

__all__ = ["EpochRecord", "stop_if_diverged", "train", "train_epoch"]


def _is_optimizer(updater):
    """True for an optimizer object, False for an ``updater(batch_size)`` function."""
    if hasattr(updater, "step") and hasattr(updater, "zero_grad"):
        return True
    if callable(updater):
        return False
    raise TypeError(
        "updater must be an optimizer (with step() and zero_grad()) or a function "
        f"updater(batch_size), got {type(updater).__name__}"
    )


def train_epoch(net, train_iter, loss, updater):
    r"""Train ``net`` for one pass over ``train_iter``; return (mean loss, accuracy).

    Each step computes ``loss(net(X), y)``, backpropagates and updates. ``updater`` is one
    of two kinds, and each gets the gradient it expects:

    - an optimizer (``minitorch_lr.optim.SGD``, a ``torch.optim`` one, anything with
      ``step()`` and ``zero_grad()``): the gradient of the loss as the loss defines it.
      A scalar loss is used as it is (a mean for ``reduction='mean'``, a sum for
      ``'sum'``); per-example losses are averaged first, as ``'mean'`` would.
    - a function ``updater(batch_size)``, like the from-scratch ``sgd``, which divides by
      the batch size itself: the gradient of the summed loss
      :math:`\sum_{i=1}^{N} \ell_i`, whatever the reduction.

    The chapter's loop did ``l.sum().backward()`` then ``updater(batch_size)`` for the
    from-scratch code, and ``l.mean().backward()`` then ``step()`` in a second copy for
    optimizers. Each copy handled one kind of loss too: given a mean-reduced loss, the
    first divides by the batch size twice (the loss's mean, then the updater), so it steps
    N times too short and reports a loss N times too small; given a summed loss, the
    second steps N times too far.

    ``loss`` may be a loss module with ``reduction`` ``'mean'``, ``'sum'`` or ``'none'``,
    or a function returning per-example losses (``scratch.squared_loss``,
    ``scratch.cross_entropy``). A scalar loss without a ``reduction`` attribute is taken
    to be a mean, torch's default. "Per example" means per row of the batch, which is
    exact when each example contributes one loss term of weight 1, as everywhere in
    chapter 3. Otherwise ``'mean'`` divides by something else (several outputs per
    example, class weights, ignored targets) and the loss is reported on that scale.

    Returns:
        ``(train_loss, train_acc)`` as floats: the mean over the epoch's examples of each
        example's loss (whatever the reduction), and the fraction predicted correctly.
        Both are summed on the device and read once, at the end of the epoch.

    Shape:
        - X: whatever ``net`` takes, batch first, e.g. :math:`(N, 1, 28, 28)`.
        - y: :math:`(N,)` labels, or :math:`(N, 1)` targets for regression.
    """
    is_optimizer = _is_optimizer(updater)
    if callable(getattr(net, "train", None)):
        net.train()
    metric = Accumulator(3)  # summed loss, correct predictions, examples
    for X, y in train_iter:
        y_hat = net(X)
        batch_loss = loss(y_hat, y)
        batch_size = y.shape[0]
        if is_optimizer:
            updater.zero_grad()
            (batch_loss if batch_loss.dim() == 0 else batch_loss.mean()).backward()
            updater.step()
            summed = summed_loss(batch_loss.detach(), loss, batch_size)
        else:
            summed = summed_loss(batch_loss, loss, batch_size)
            summed.backward()
            updater(batch_size)
        metric.add(summed.detach(), count_correct(y_hat, y), batch_size)
    if metric[2] == 0:
        raise ValueError("train_epoch: train_iter yielded no examples")
    return metric[0] / metric[2], metric[1] / metric[2]


@dataclass(frozen=True)
class EpochRecord:
    """What ``train`` measured in one epoch.

    Attributes:
        epoch: 1 for the first epoch.
        train_loss: mean loss per training example, as ``train_epoch`` reports it.
        train_acc: fraction of training examples predicted correctly while training.
        test_acc: fraction of test examples predicted correctly after the epoch.
        seconds: wall time of the epoch: training plus evaluation, without plotting.
        lr: the learning rate of the optimizer's first param group during the epoch;
            ``None`` for an ``updater(batch_size)`` function.
    """

    epoch: int
    train_loss: float
    train_acc: float
    test_acc: float
    seconds: float
    lr: float | None = None


def train(
    net,
    train_iter,
    test_iter,
    loss,
    num_epochs,
    updater,
    *,
    scheduler=None,
    progress=None,
    plot=False,
    plot_path=None,
    cuda_graph=False,
    on_epoch=None,
):
    """Train for ``num_epochs`` epochs, evaluating on ``test_iter`` after each one.

    Args:
        net, train_iter, loss, updater: as for :func:`train_epoch`.
        test_iter: batches ``(X, y)`` for :func:`evaluate_accuracy`.
        num_epochs: how many passes over ``train_iter``, at least 1.
        scheduler: a learning-rate scheduler of ``updater``
            (:mod:`minitorch_lr.optim.lr_scheduler`, or torch's on a torch optimizer),
            stepped once after every epoch, as torch's docs prescribe.
        progress: show a tqdm progress bar over the epochs on stderr. ``None`` shows it
            only when stderr is a terminal, so logs and pipes stay clean.
        plot: draw the chapter's live curves (train loss, train acc, test acc against the
            epoch) with :class:`minitorch_lr.plot.Animator`. In Jupyter they update in
            place; elsewhere they are only drawn, so give ``plot_path`` to see them.
        plot_path: write the curves to this image file, rewritten after every epoch
            (implies ``plot``). Its folder must exist.
        cuda_graph: train each epoch as a CUDA graph, recorded once and replayed
            (:class:`minitorch_lr.train.graph.GraphedEpoch`): far faster for small models on
            a GPU. Needs ``train_iter`` to be an ``ArrayLoader`` of ``(features, labels)``
            on a CUDA device, ``updater`` an SGD optimizer (ours or torch's) and ``loss`` a
            loss module. The first epoch runs eagerly and is then recorded. The learning
            rate is baked into the recording: an epoch after the scheduler changed it runs
            eagerly and is recorded again: under a schedule that changes it every epoch,
            every epoch runs eagerly and pays for a recording besides.
        on_epoch: called with each epoch's :class:`EpochRecord` as soon as the epoch ends
            (before its curves are drawn), with the progress bar cleared meanwhile so that
            it may print.

    Returns:
        the history, a list with one :class:`EpochRecord` per epoch.

    Stopping early: an interrupt (Ctrl-C, ``KeyboardInterrupt``) stops training within
    the batch it arrives in and propagates unchanged, as does any error. The epochs
    completed before it are those passed to ``on_epoch``; ``plot_path`` holds the curves
    drawn so far, never a half-written image.

    Raises:
        FloatingPointError: when an epoch's mean training loss is NaN or infinite; the
            message names the epoch and the likely causes.
        RuntimeError: with ``cuda_graph=True`` on a machine without CUDA.
        ValueError: for a ``scheduler`` whose optimizer is not ``updater``, before training.
        TypeError, ValueError: with ``cuda_graph=True``, for what a CUDA graph cannot
            record (see :class:`~minitorch_lr.train.graph.GraphedEpoch`), before training.
    """
    positive_int(num_epochs, "num_epochs")
    if scheduler is not None and getattr(scheduler, "optimizer", None) is not updater:
        raise ValueError(
            f"scheduler {type(scheduler).__name__} schedules another optimizer than "
            "updater: build it on the optimizer given as updater"
        )
    graphed_epoch = None
    if cuda_graph:
        # Imported only here: training without a CUDA graph never loads the graph code.
        from .graph import GraphedEpoch

        # Built before the first epoch, so that what cannot be recorded fails before training.
        graphed_epoch = GraphedEpoch.from_loader(net, train_iter, loss, updater)
    animator = None
    if plot or plot_path is not None:
        # Imported here so that training without plots never needs matplotlib.
        from ..plot import Animator

        animator = Animator(
            xlabel="epoch",
            # One epoch is one point: let matplotlib pick limits rather than [1, 1].
            xlim=[1, num_epochs] if num_epochs > 1 else None,
            legend=["train loss", "train acc", "test acc"],
            path=plot_path,
        )
    if progress is None:
        progress = sys.stderr.isatty()
    history = []
    with tqdm(total=num_epochs, unit="epoch", disable=not progress, file=sys.stderr) as bar:
        for epoch in range(1, num_epochs + 1):
            start = time.perf_counter()
            lr = updater.param_groups[0]["lr"] if hasattr(updater, "param_groups") else None
            if graphed_epoch is None:
                train_loss, train_acc = train_epoch(net, train_iter, loss, updater)
            else:
                train_loss, train_acc = graphed_epoch()
            stop_if_diverged(train_loss, epoch)
            test_acc = evaluate_accuracy(net, test_iter)
            record = EpochRecord(
                epoch, train_loss, train_acc, test_acc, time.perf_counter() - start, lr
            )
            history.append(record)
            if scheduler is not None:
                scheduler.step()
            if on_epoch is not None:
                with tqdm.external_write_mode(file=sys.stdout):
                    on_epoch(record)
            if animator is not None:
                animator.add(epoch, (train_loss, train_acc, test_acc))
            # A dict keeps this order; keyword arguments would be sorted by name.
            metrics = {"loss": train_loss, "train acc": train_acc, "test acc": test_acc}
            bar.set_postfix({name: f"{value:.4f}" for name, value in metrics.items()})
            bar.update()
    return history


def stop_if_diverged(train_loss, epoch):
    """Raise ``FloatingPointError`` if ``train_loss``, the mean loss of ``epoch``, is NaN
    or infinite: training diverged, and every later step would be on NaN parameters.

    The message names the epoch and the likely causes.
    """
    if math.isfinite(train_loss):
        return
    raise FloatingPointError(
        f"the mean training loss of epoch {epoch} is {train_loss}: training diverged. "
        "Likely causes: a learning rate too large for this model and data (try a smaller "
        "one), or a naive softmax whose exp overflows or a log of a probability that "
        "rounded to 0 (give the logits to minitorch_lr.nn.CrossEntropyLoss, which uses the "
        "log-sum-exp trick, instead of scratch.softmax with scratch.cross_entropy)."
    )
