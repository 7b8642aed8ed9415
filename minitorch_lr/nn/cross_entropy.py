r"""Cross-entropy, the loss of softmax regression. Mirrors ``torch.nn.functional.cross_entropy``.

For one example with logits :math:`o \in \mathbb{R}^C` and true class :math:`y`,

.. math:: \ell(o, y) = -\log \mathrm{softmax}(o)_y = \mathrm{logsumexp}(o) - o_y,

computed from log-softmax by the log-sum-exp trick, never as ``log(softmax(o))``. With
class weights :math:`w`, targets equal to ``ignore_index`` left out and reduction
``'mean'``, a batch's loss is torch's weighted mean

.. math:: L = \frac{\sum_{i \text{ kept}} w_{y_i} \, \ell(o_i, y_i)}{\sum_{i \text{ kept}} w_{y_i}}.

Label smoothing :math:`\varepsilon` mixes in the loss against the uniform distribution:
:math:`(1 - \varepsilon) \, w_{y} \ell(o, y) - \frac{\varepsilon}{C} \sum_c w_c \log
\mathrm{softmax}(o)_c`. Probability targets :math:`p` (same shape as the input) give
:math:`-\sum_c w_c \, p_c \log \mathrm{softmax}(o)_c`, averaged over the examples.

The gradient with respect to the logits is the chapter's
:math:`\partial \ell / \partial o = \mathrm{softmax}(o) - \mathrm{onehot}(y)`, times
:math:`w_y` and divided by :math:`\sum w_{y_i}` for the mean; :class:`SoftmaxCrossEntropy`
writes it out (``softmax_cross_entropy.py``).

Read in this order: :func:`cross_entropy` checks its arguments and picks the code;
:func:`class_index_cross_entropy` and :func:`probability_cross_entropy` are the reference,
every option written out with :func:`~minitorch_lr.nn.softmax.log_softmax`. The common
training case (class indices, no weights, no smoothing, nothing ignored) takes a shorter
route chosen by measurement, in ``cross_entropy_fast.py``, tested equal to the reference.

Bad targets: on the CPU a class index outside [0, C) that is not ``ignore_index`` raises
``IndexError`` ("Target 12 is out of bounds."), as in torch. On CUDA nothing is checked on
the host, since reading the targets back would stall the GPU on every step; ``gather``
then trips a device-side assertion when the kernel runs, reported at a later
synchronizing call, after which the CUDA context is unusable (torch behaves the same way).

Left out: the deprecated ``size_average`` and ``reduce`` arguments (pass ``ignore_index``,
``reduction`` and ``label_smoothing`` by keyword).
"""

import torch

from . import cross_entropy_fast
from .reduction import check_reduction
from .softmax import log_softmax
from .tensor_arguments import check_tensor

__all__ = ["class_index_cross_entropy", "cross_entropy", "probability_cross_entropy"]


def cross_entropy(
    input, target, weight=None, *, ignore_index=-100, reduction="mean", label_smoothing=0.0
):
    r"""Cross-entropy between the logits ``input`` and ``target``.

    Args:
        input: unnormalised scores (logits), not probabilities.
        target: class indices (int64 or uint8), or class probabilities of ``input``'s
            shape (floating point).
        weight: a weight per class, shape (C,); ``None`` weighs all classes 1.
        ignore_index: class-index targets equal to it add nothing to the loss or to the
            mean's denominator.
        reduction: ``'mean'`` (torch's weighted mean), ``'sum'`` or ``'none'``.
        label_smoothing: :math:`\varepsilon \in [0, 1]`, see the module docstring. A value
            outside is a ``RuntimeError`` (torch lets a negative one pass as 0).

    Shape:
        - input: :math:`(N, C)`, :math:`(N, C, d_1, \dots, d_K)` or unbatched :math:`(C)`.
        - target: class indices :math:`(N)`, :math:`(N, d_1, \dots, d_K)` or :math:`()`;
          probabilities the same shape as input.
        - output: a scalar, or with ``'none'`` the target's shape without C.

    Example::

        >>> import torch
        >>> from minitorch_lr.nn import functional as F
        >>> F.cross_entropy(torch.zeros(2, 4), torch.tensor([0, 3]))  # uniform: log 4
        tensor(1.3863)
    """
    check_tensor(input, "cross_entropy_loss", "input", 1)
    check_tensor(target, "cross_entropy_loss", "target", 2)
    check_reduction(reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    if input.shape == target.shape:
        return probability_cross_entropy(
            input, target, weight, ignore_index, reduction, label_smoothing
        )
    target = _check_class_targets(input, target, weight)
    if target.dtype == torch.uint8:
        # Compare and gather in int64: a uint8 tensor would wrap ignore_index -100 to 156.
        target = target.long()
    if weight is None and label_smoothing == 0.0:
        shortcut = cross_entropy_fast.route(input, target, ignore_index)
        if shortcut is not None:
            return shortcut(input, target, ignore_index, reduction)
    _check_target_range(input, target, ignore_index)
    return class_index_cross_entropy(
        input, target, weight, ignore_index, reduction, label_smoothing
    )


def class_index_cross_entropy(input, target, weight, ignore_index, reduction, label_smoothing):
    """Class-index targets, every option: the formulas of the module docstring, step by step."""
    class_dim = 0 if input.dim() == 1 else 1
    num_classes = input.shape[class_dim]
    log_probs = log_softmax(input, class_dim)
    keep = target != ignore_index
    # Ignored targets may hold any value (-100 by default): point them at class 0 so that
    # gather stays in range; `keep` removes their terms below.
    safe_target = target.where(keep, 0)
    target_weight = None if weight is None else weight[safe_target]
    nll = -log_probs.gather(class_dim, safe_target.unsqueeze(class_dim)).squeeze(class_dim)
    if target_weight is not None:
        nll = target_weight * nll
    loss = _reduce_kept(nll, keep, target_weight, reduction)
    if label_smoothing > 0.0:
        class_weight = 1.0 if weight is None else _along_class_dim(weight, input.dim(), class_dim)
        smooth = -(class_weight * log_probs).sum(class_dim)
        # Each term reduced on its own, as torch does: with no weight to divide by, the
        # mean is 0 / 0 = nan, not a finite smoothing term over 0.
        smooth_loss = _reduce_kept(smooth, keep, target_weight, reduction)
        loss = (1.0 - label_smoothing) * loss + (label_smoothing / num_classes) * smooth_loss
    return loss


def _reduce_kept(losses, keep, target_weight, reduction):
    """Reduce per-example ``losses`` over the kept targets; ``'mean'`` is torch's weighted
    mean, divided by the summed weights of the kept targets (their count without weights)."""
    # where, not a product with the mask: its gradient at ignored targets is exactly 0, also
    # when every target is ignored and the mean divides by 0, as torch's is.
    losses = losses.where(keep, 0)
    if reduction == "none":
        return losses
    if reduction == "sum":
        return losses.sum()
    total_weight = keep.sum() if target_weight is None else target_weight.where(keep, 0).sum()
    return losses.sum() / total_weight


def probability_cross_entropy(input, target, weight, ignore_index, reduction, label_smoothing):
    """Probability targets: ``-sum_c w_c p_c log softmax(o)_c``; the mean divides by N."""
    if not target.is_floating_point():
        raise RuntimeError(
            f"Expected floating point type for target with class probabilities, got {target.dtype}"
        )
    if ignore_index >= 0:
        raise RuntimeError(
            f"ignore_index is not supported for floating point target (got {ignore_index})"
        )
    class_dim = 0 if input.dim() == 1 else 1
    num_classes = input.shape[class_dim]
    _check_weight(weight, num_classes)
    log_probs = log_softmax(input, class_dim)
    if label_smoothing > 0.0:
        target = (1.0 - label_smoothing) * target + label_smoothing / num_classes
    terms = target * log_probs
    if weight is not None:
        terms = terms * _along_class_dim(weight, input.dim(), class_dim)
    losses = -terms.sum(class_dim)
    if reduction == "none":
        return losses
    if reduction == "sum":
        return losses.sum()
    return losses.mean()


def _along_class_dim(weight, ndim, class_dim):
    """View the (C,) weight so that it broadcasts along the class dim of an ndim input."""
    shape = [1] * ndim
    shape[class_dim] = weight.shape[0]
    return weight.view(shape)


def _check_weight(weight, num_classes):
    if weight is not None and weight.shape != (num_classes,):
        raise RuntimeError(
            f"weight tensor should be defined either for all {num_classes} classes or no "
            f"classes but got weight tensor of shape: {list(weight.shape)}"
        )


def _check_class_targets(input, target, weight):
    """torch's checks of class-index targets, made before any arithmetic; returns the
    target, a one-element (1,) target of an unbatched input made a () one, as torch takes it."""
    if input.dim() == 0:
        raise ValueError("Expected 1 or more dimensions (got 0)")
    if input.dim() == 1 and target.dim() == 1:
        if target.shape[0] != 1:
            raise ValueError(
                f"For 1D input, 1D target must have size 1, but got target size: {target.shape[0]}"
            )
        target = target.squeeze(0)
    if input.dim() >= 2 and (target.dim() == 0 or target.shape[0] != input.shape[0]):
        target_batch = target.shape[0] if target.dim() else 0
        raise ValueError(
            f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
            f"({target_batch})."
        )
    expected = input.shape[:1] + input.shape[2:] if input.dim() >= 2 else torch.Size()
    if target.shape != expected:
        raise RuntimeError(f"Expected target size {list(expected)}, got {list(target.shape)}")
    if target.dtype not in (torch.int64, torch.uint8):
        raise RuntimeError(
            f"expected target dtype to be Long or Byte (torch.int64 or torch.uint8), "
            f"but got {target.dtype}"
        )
    if not input.is_floating_point():
        raise NotImplementedError(f"cross_entropy needs floating-point logits, got {input.dtype}")
    class_dim = 0 if input.dim() == 1 else 1
    _check_weight(weight, input.shape[class_dim])
    if weight is not None and weight.dtype != input.dtype:
        raise RuntimeError(
            f"expected scalar type {input.dtype} for weight (the input's), but found {weight.dtype}"
        )
    if weight is not None and weight.requires_grad and torch.is_grad_enabled():
        # torch's kernel has no gradient for class weights of class-index targets.
        raise RuntimeError(
            "The function 'nll_loss_forward' is not differentiable with respect to argument "
            "'weight'. This input cannot have requires_grad True."
        )
    return target


def _check_target_range(input, target, ignore_index):
    """On the CPU, raise torch's IndexError for the first target outside [0, C) that is
    not ``ignore_index``. Elsewhere read nothing back: see the module docstring."""
    if target.device.type != "cpu":
        return
    num_classes = input.shape[0 if input.dim() == 1 else 1]
    out_of_range = ((target < 0) | (target >= num_classes)) & (target != ignore_index)
    if out_of_range.any():
        raise IndexError(f"Target {target[out_of_range][0].item()} is out of bounds.")
