"""The chapter's training loop and what it measures: ``minitorch_lr.train``.

Mirrors d2l's ``Accumulator``, ``accuracy``, ``evaluate_accuracy``, ``train_epoch_ch3``,
``train_ch3`` and ``predict_ch3``. Read in this order:

- ``loop.py``: :func:`train_epoch` (one pass, either kind of updater, any reduction),
  :func:`train` (many epochs, evaluation, progress bar, live curves) and
  :func:`stop_if_diverged`;
- ``metrics.py``: :class:`Accumulator`, :func:`accuracy`, :func:`evaluate_accuracy` and
  the per-batch sums the loop keeps on the device;
- ``predict.py``: :func:`predict`, the chapter's last figure.

Beyond the chapter, for a GPU: ``static_epoch.py`` and ``graph.py`` record a whole
epoch as one CUDA graph (``train(..., cuda_graph=True)``), with their checks in
``graph_checks.py``. They are imported only when asked for, never by this file.
"""

from .loop import EpochRecord, stop_if_diverged, train, train_epoch
from .metrics import Accumulator, accuracy, evaluate_accuracy
from .predict import predict

__all__ = [
    "Accumulator",
    "EpochRecord",
    "accuracy",
    "evaluate_accuracy",
    "predict",
    "stop_if_diverged",
    "train",
    "train_epoch",
]
