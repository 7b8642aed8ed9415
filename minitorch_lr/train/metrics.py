r"""What the training loop measures: running sums, accuracy, the summed loss of a batch.

Mirrors the chapter's ``Accumulator``, ``accuracy`` and ``evaluate_accuracy``, and the
``l.sum()`` that its ``train_epoch_ch3`` adds up. The per-batch measures
(:func:`count_correct`, :func:`summed_loss`) return 0-dim tensors on the batch's device,
so that summing them over an epoch makes the host wait for nothing; the caller reads the
sums once, at the end of the epoch. :func:`~minitorch_lr.train.train_epoch` (eager) and
:class:`~minitorch_lr.train.static_epoch.StaticEpoch` (recorded as a CUDA graph) both
measure with these two functions, so that they report the same numbers.

Left out: every metric but the loss and accuracy (precision, recall, a confusion matrix).
"""

from contextlib import contextmanager

import torch

__all__ = [
    "Accumulator",
    "accuracy",
    "count_correct",
    "evaluate_accuracy",
    "evaluation_mode",
    "summed_loss",
]


class Accumulator:
    """Running sums of ``n`` quantities, e.g. summed loss, correct predictions, examples.

    ``add`` takes numbers or 0-dim tensors. A tensor stays on its device and is summed
    there, so adding costs no host sync; ``acc[i]`` reads slot ``i`` as a Python float
    (the one place a GPU value is copied to the host). Each sum starts from the integer 0,
    so it keeps the type of what is added: integer counts stay exact, where a start of
    ``0.0`` would turn an int64 tensor into a float32 one, exact only up to :math:`2^{24}`.

    Example::

        >>> metric = Accumulator(2)
        >>> metric.add(torch.tensor(3.0), 4)
        >>> metric.add(torch.tensor(1.0), 4)
        >>> metric[0] / metric[1]
        0.5
    """

    def __init__(self, n):
        self.data = [0] * n

    def add(self, *values):
        """Add one value to each running sum, in order."""
        if len(values) != len(self.data):
            raise ValueError(f"expected {len(self.data)} values to add, got {len(values)}")
        self.data = [total + value for total, value in zip(self.data, values)]

    def reset(self):
        """Set every running sum back to 0."""
        self.data = [0] * len(self.data)

    def __getitem__(self, index):
        return float(self.data[index])


def accuracy(y_hat, y):
    r"""The number of correct predictions in a batch, as a float (divide by ``len(y)``).

    A prediction is the class with the largest score: :math:`\hat{y}_i = \arg\max_c
    o_{ic}`. Returns a Python float like the chapter's, which makes the caller wait for the
    device; the training loop counts with a tensor instead and reads it once per epoch.

    Shape:
        - y_hat: :math:`(N, C)` scores or probabilities, or :math:`(N,)` predicted labels.
        - y: :math:`(N,)` labels.
    """
    return float(count_correct(y_hat, y))


def summed_loss(batch_loss, loss, batch_size):
    r"""The batch's loss summed over its examples, :math:`\sum_{i=1}^{N} \ell_i`.

    Undoes whatever reduction ``loss`` applied, so that batches of different sizes (the
    last one may be shorter) add up to the epoch's total:

    - per-example losses (``reduction='none'``, or a function such as
      ``scratch.cross_entropy``) are summed;
    - a scalar from ``reduction='sum'`` is the sum already;
    - any other scalar is taken to be the mean, :math:`\frac{1}{N}\sum_i \ell_i`, and
      multiplied by :math:`N`: ``reduction='mean'``, or a loss without a ``reduction``
      attribute (torch's default is the mean).

    Args:
        batch_loss: what ``loss(y_hat, y)`` returned for the batch.
        loss: the loss module or function, read only for its ``reduction``.
        batch_size: :math:`N`, the number of examples in the batch.

    Shape:
        - batch_loss: :math:`()` for a reduced loss, :math:`(N)` or :math:`(N, *)` per
          example.
        - output: :math:`()`, in ``batch_loss``'s dtype and on its device.
    """
    if batch_loss.dim() > 0:
        return batch_loss.sum()
    if getattr(loss, "reduction", "mean") == "sum":
        return batch_loss
    return batch_loss * batch_size


def count_correct(y_hat, y):
    r"""The number of correct predictions, as a 0-dim int64 tensor on ``y_hat``'s device.

    Scores predict the class with the largest score, :math:`\hat{y}_i = \arg\max_c
    o_{ic}`; anything else in ``y_hat`` is taken as the predicted labels themselves. The
    count is an integer tensor, so a running sum of counts stays exact: float32 counts
    exactly only up to :math:`2^{24}` (about 16.8 million examples).

    Shape:
        - y_hat: :math:`(N, C)` scores or probabilities, or :math:`(N)` predicted labels.
        - y: :math:`(N)` labels.
        - output: :math:`()`, int64.
    """
    if y_hat.dim() > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(dim=1)
    return (y_hat.to(y.dtype) == y).sum()


@contextmanager
def evaluation_mode(net):
    """Eval mode and no autograd inside; afterwards every module is back in its own mode.

    Modes are restored one module at a time, since a model may hold a submodule frozen in
    eval mode that ``net.train()`` would flip. A plain function has no modes to switch.
    """
    modes = (
        [(module, module.training) for module in net.modules()] if hasattr(net, "modules") else []
    )
    if modes:
        net.eval()
    try:
        with torch.no_grad():
            yield
    finally:
        for module, training in modes:
            module.training = training


def evaluate_accuracy(net, data_iter):
    """The fraction of correct predictions of ``net`` over every batch of ``data_iter``.

    Runs in eval mode and without autograd, then puts every module back in the mode it
    was in. ``net`` may be a ``Module`` (ours or torch's) or any function of a batch, like
    the from-scratch model.
    """
    metric = Accumulator(2)  # correct predictions, examples
    with evaluation_mode(net):
        for X, y in data_iter:
            metric.add(count_correct(net(X), y), y.numel())
    if metric[1] == 0:
        raise ValueError("evaluate_accuracy: data_iter yielded no examples")
    return metric[0] / metric[1]
