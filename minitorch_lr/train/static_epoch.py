r"""One training epoch written the way a CUDA graph needs it: every tensor stays put.

:class:`StaticEpoch` trains an epoch of SGD as :func:`~minitorch_lr.train.train_epoch`
does, with one difference of form: every tensor that outlives a step (the order of the
examples, the gradients, the metric sums) is allocated once and then updated in place. It
runs eagerly on any device and gives ``train_epoch``'s parameters and metrics for the
same order, which the tests check. :class:`~minitorch_lr.train.graph.GraphedEpoch` records
it as a CUDA graph and replays it.

The checks of its arguments, each saying why, are in ``graph_checks.py``.

Left out: optimizers other than SGD, the chapter's ``updater(batch_size)`` functions, and
loss functions without a ``reduction`` (:class:`StaticEpoch` says why).
"""

import torch

from ..data.array_loader import ArrayLoader
from .graph_checks import check_arguments, check_parameters_on
from .metrics import count_correct, summed_loss

__all__ = ["StaticEpoch", "train_mode"]


class StaticEpoch:
    r"""One epoch of SGD in which every tensor stays where it was allocated.

    Each call trains ``net`` for one pass over ``(features, labels)`` in a fresh order and
    returns ``(train_loss, train_acc)`` computed as ``train_epoch`` computes them, with the
    same functions of ``metrics.py``. With the same ``generator`` seed it
    visits the batches of ``ArrayLoader((features, labels), batch_size, shuffle,
    generator)``, in the same order, and ends with the same parameters as ``train_epoch``
    over that loader.

    What stays put, and why a CUDA graph needs it (a graph replays kernels on the memory
    addresses they were recorded with):

    - ``order``, an (N,) index buffer. Each epoch copies a new permutation into it, and
      step k trains on the examples ``order[kB : (k+1)B]``: all N examples once per epoch,
      the last batch holding the remaining N mod B when B does not divide N.
    - The gradients: zeroed in place, not set to ``None``, so that backward adds into the
      same ``.grad`` tensors at every step. Adding to zero gives the fresh gradient exactly.
    - ``loss_sum`` and ``correct``: 0-dim tensors on the data's device that every step
      adds into, read by the host once per epoch.

    Args:
        net: the model: a Module (minitorch_lr's or torch's) or any function of a batch.
        loss: a loss module (minitorch_lr's or torch's) with ``reduction`` ``'mean'``,
            ``'sum'`` or ``'none'``. Plain functions are refused: one may build tensors on
            the host at every step (the chapter's ``cross_entropy`` indexes with
            ``range(len(y_hat))``), which a graph cannot replay.
        optimizer: ``minitorch_lr.optim.SGD`` or ``torch.optim.SGD`` with Python-number
            hyperparameters; its step is a fixed sequence of tensor operations. A custom
            ``updater(batch_size)`` or another optimizer may run Python at every step
            (counters, checks) that a replay would skip.
        features, labels: every training example, on one device, with the parameters.
        batch_size: examples per step, a positive int.
        shuffle: draw a new order every epoch, or keep ``0 .. N-1``.
        generator: the ``torch.Generator`` the orders are drawn from, as for
            :class:`~minitorch_lr.data.ArrayLoader`; ``None`` uses torch's default one.

    Shape:
        - features: :math:`(N, *)`, what ``net`` takes, batch first.
        - labels: :math:`(N,)` class indices, or :math:`(N, 1)` regression targets.
        - order: :math:`(N,)`, int64.

    Raises:
        TypeError, ValueError: for what cannot be recorded or does not fit, before
            anything is allocated or trained (see
            :func:`~minitorch_lr.train.graph_checks.check_arguments`).
    """

    def __init__(
        self, net, loss, optimizer, features, labels, batch_size, *, shuffle=True, generator=None
    ):
        self._check(loss, optimizer, features, labels, batch_size)
        self.net = net
        self.loss = loss
        self.optimizer = optimizer
        self.features = features
        self.labels = labels
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.generator = generator
        device = features.device
        self.order = torch.arange(features.shape[0], device=device)
        # Summed in the parameters' dtype, as train_epoch's running sum of loss tensors is.
        dtype = optimizer.param_groups[0]["params"][0].dtype
        self.loss_sum = torch.zeros((), dtype=dtype, device=device)
        self.correct = torch.zeros((), dtype=torch.int64, device=device)

    @classmethod
    def from_loader(cls, net, train_iter, loss, optimizer):
        """Build from an ArrayLoader of ``(features, labels)``: its tensors, batch size,
        shuffle flag and generator. Arguments in ``train_epoch``'s order."""
        if not isinstance(train_iter, ArrayLoader):
            raise TypeError(
                f"{cls.__name__} needs every example as one tensor: train_iter must be a "
                f"minitorch_lr.data.ArrayLoader, got {type(train_iter).__name__}"
            )
        if len(train_iter.tensors) != 2:
            raise ValueError(
                "train_iter must hold two tensors, (features, labels), but holds "
                f"{len(train_iter.tensors)}"
            )
        features, labels = train_iter.tensors
        return cls(
            net,
            loss,
            optimizer,
            features,
            labels,
            train_iter.batch_size,
            shuffle=train_iter.shuffle,
            generator=train_iter.generator,
        )

    def _check(self, loss, optimizer, features, labels, batch_size):
        check_arguments(loss, optimizer, features, labels, batch_size)
        check_parameters_on(optimizer, features.device)

    def fill_order(self):
        """Copy this epoch's order into ``order``, drawn as ArrayLoader draws it."""
        if not self.shuffle:
            return  # ``order`` holds 0 .. N-1 from the start
        # Drawn on the generator's device, then copied: randperm takes only a generator of
        # its own device, and ArrayLoader draws the same way, so the same seed gives the
        # same order.
        draw_on = self.order.device if self.generator is None else self.generator.device
        order = torch.randperm(self.order.shape[0], device=draw_on, generator=self.generator)
        self.order.copy_(order)

    def run_steps(self):
        """Every training step of one epoch over ``order``: the code a CUDA graph records.

        Nothing here reads a tensor's value on the host or branches on one, and every
        tensor that outlives a step (parameters, gradients, momentum buffers, metric sums)
        is updated in place; batches and activations are new tensors at every step.
        """
        params = [param for group in self.optimizer.param_groups for param in group["params"]]
        self.loss_sum.zero_()
        self.correct.zero_()
        for start in range(0, self.order.shape[0], self.batch_size):
            batch = self.order[start : start + self.batch_size]
            X = self.features.index_select(0, batch)
            y = self.labels.index_select(0, batch)
            y_hat = self.net(X)
            batch_loss = self.loss(y_hat, y)
            for param in params:
                # In place: set to None, the gradient would be a new tensor every step,
                # not the one a recording writes into. It is None only before a
                # parameter's first backward pass, in the first (eager) epoch.
                if param.grad is not None:
                    param.grad.zero_()
            # As train_epoch: per-example losses ('none') are averaged, as 'mean' would be.
            (batch_loss if batch_loss.dim() == 0 else batch_loss.mean()).backward()
            self.optimizer.step()
            # y.shape[0], not batch_size: the last batch may be shorter.
            self.loss_sum.add_(summed_loss(batch_loss.detach(), self.loss, y.shape[0]))
            self.correct.add_(count_correct(y_hat, y))

    def read_metrics(self):
        """``(mean loss per example, fraction correct)`` of the last epoch, as floats."""
        num_examples = self.order.shape[0]
        return float(self.loss_sum) / num_examples, float(self.correct) / num_examples

    def __call__(self):
        """Train one epoch; return ``(train_loss, train_acc)`` as ``train_epoch`` does."""
        train_mode(self.net)
        self.fill_order()
        self.run_steps()
        return self.read_metrics()


def train_mode(net):
    """Training mode for a Module; a plain function, as in train_epoch, has no mode."""
    if callable(getattr(net, "train", None)):
        net.train()
