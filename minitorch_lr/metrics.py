r"""What the training loop measures in one batch: the summed loss and the correct predictions.

Mirrors the chapter's ``accuracy`` and the ``l.sum()`` that ``train_epoch_ch3`` adds to its
``Accumulator``. Both are returned as 0-dim tensors on the batch's device, so that summing
them over an epoch makes the host wait for nothing; the caller reads the sums once, at the
end of the epoch. :func:`~minitorch_lr.train.train_epoch` (eager) and
:class:`~minitorch_lr.cuda_graph.StaticEpoch` (recorded as a CUDA graph) both measure with
these two functions, so that they report the same numbers.

Left out: every metric but the loss and accuracy (precision, recall, a confusion matrix).
"""

__all__ = ["count_correct", "summed_loss"]


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
