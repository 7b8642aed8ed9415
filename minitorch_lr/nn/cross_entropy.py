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

Which code runs: :func:`_cross_entropy_class_indices` and
:func:`_cross_entropy_probabilities` spell out every option with
:func:`~minitorch_lr.nn.softmax.log_softmax`. The common training case (class indices,
no weights, no smoothing) takes a shorter path chosen by measurement:
:func:`_cross_entropy_plain` on the CPU, :func:`_cross_entropy_fused` on a GPU. Each
says why it exists; all are tested equal to torch. The CPU path completes only when no
target in the batch equals ``ignore_index``: otherwise ``gather`` rejects that target,
the partial result is dropped and the general path runs, so such a batch costs about
twice as much.

Bad targets: on the CPU a class index outside [0, C) that is not ``ignore_index`` raises
``IndexError`` ("Target 12 is out of bounds."), as in torch. On CUDA nothing is checked on
the host, since reading the targets back would stall the GPU on every step; ``gather``
then trips a device-side assertion when the kernel runs, reported at a later
synchronizing call, after which the CUDA context is unusable (torch behaves the same way).

Left out: the deprecated ``size_average`` and ``reduce`` arguments (pass ``ignore_index``,
``reduction`` and ``label_smoothing`` by keyword).
"""

import torch

from .softmax import log_softmax

__all__ = ["cross_entropy"]

_REDUCTIONS = ("none", "mean", "sum")


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
    """
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    class_dim = 0 if input.dim() == 1 else 1
    if input.shape == target.shape:
        return _cross_entropy_probabilities(
            input, target, weight, ignore_index, reduction, label_smoothing, class_dim
        )
    _check_class_targets(input, target, weight)
    if target.dtype == torch.uint8:
        # Compare and gather in int64: a uint8 tensor would wrap ignore_index -100 to 156.
        target = target.long()
    num_classes = input.shape[class_dim]
    if weight is None and label_smoothing == 0.0 and not 0 <= ignore_index < num_classes:
        if target.device.type != "cpu":
            return _cross_entropy_fused(input, target, ignore_index, reduction, class_dim)
        loss = _cross_entropy_plain_if_in_range(input, target, reduction, class_dim)
        if loss is not None:
            return loss
    _check_target_range(target, num_classes, ignore_index)
    return _cross_entropy_class_indices(
        input, target, weight, ignore_index, reduction, label_smoothing, class_dim
    )


def _cross_entropy_plain(input, target, reduction, class_dim):
    r""":math:`\ell = \log \sum_k \exp(o_k - m) - (o_y - m)`, :math:`m = \max_k o_k`,
    reduced: the default on the CPU, when there are no weights, no smoothing and no
    ignored target to handle.

    It is :math:`-\log \mathrm{softmax}(o)_y` by the log-sum-exp trick of
    :func:`log_softmax`, without building the (N, C) log-probabilities only to pick one
    per row, and with nothing to mask. Measured on a CPU, this made the
    softmax-regression training step faster than :func:`log_softmax` plus ``gather``,
    than torch's fused ``Tensor.log_softmax`` and than ``torch.logsumexp``, whose
    gradient also loses precision when the loss is large (float32 logits of size 1e4).
    """
    # The loss does not depend on the shift, so the shift needs no gradient.
    shifted = input - input.amax(class_dim, keepdim=True).detach()
    picked = shifted.gather(class_dim, target.unsqueeze(class_dim))
    nll = shifted.exp().sum(class_dim, keepdim=True).log() - picked
    if reduction == "none":
        return nll.squeeze(class_dim)
    return nll.sum() if reduction == "sum" else nll.mean()


def _cross_entropy_plain_if_in_range(input, target, reduction, class_dim):
    """:func:`_cross_entropy_plain`, or None if some target lies outside [0, C).

    Why not check first: on the CPU ``gather`` checks every index itself and raises, so
    asking it saves a pass over the targets and a read back of its result on every
    training step (measured 5-7% of a softmax-regression step at batch 256). A target
    outside [0, C) is either ``ignore_index`` or an error; the caller sorts them out.
    """
    try:
        return _cross_entropy_plain(input, target, reduction, class_dim)
    except RuntimeError:
        return None


def _cross_entropy_fused(input, target, ignore_index, reduction, class_dim):
    """No weights, no smoothing, targets not read by the host (a GPU): the default there.

    Why a separate path: on a GPU at small batches the host, not arithmetic, sets the
    speed, and each tensor operation costs it 10-20 us. ``Tensor.log_softmax`` computes
    the same shifted log-sum-exp as :func:`log_softmax` in one fused kernel, forward and
    backward, instead of six. The targets may hold ``ignore_index``, which only the GPU
    can see, so they are masked as in :func:`_cross_entropy_class_indices`.
    """
    log_probs = input.log_softmax(class_dim)
    keep = target != ignore_index
    picked = log_probs.gather(class_dim, target.where(keep, 0).unsqueeze(class_dim))
    losses = (-picked.squeeze(class_dim)).where(keep, 0)
    if reduction == "none":
        return losses
    if reduction == "sum":
        return losses.sum()
    return losses.sum() / keep.sum()


def _cross_entropy_class_indices(
    input, target, weight, ignore_index, reduction, label_smoothing, class_dim
):
    """Class-index targets, every option: the formulas of the module docstring, step by step."""
    num_classes = input.shape[class_dim]
    log_probs = log_softmax(input, class_dim)
    keep = target != ignore_index
    # Ignored targets may hold any value (-100 by default): point them at class 0 so that
    # gather stays in range; `keep` removes their terms below.
    safe_target = target.where(keep, 0)
    nll = -log_probs.gather(class_dim, safe_target.unsqueeze(class_dim)).squeeze(class_dim)
    if weight is None:
        losses = nll
    else:
        losses = weight[safe_target] * nll
    if label_smoothing > 0.0:
        class_weight = 1.0 if weight is None else _along_class_dim(weight, input.dim(), class_dim)
        smooth = -(class_weight * log_probs).sum(class_dim)
        losses = (1.0 - label_smoothing) * losses + (label_smoothing / num_classes) * smooth
    # where, not a product with the mask: its gradient at ignored targets is exactly 0, also
    # when every target is ignored and the mean divides by 0, as torch's is.
    losses = losses.where(keep, 0)
    if reduction == "none":
        return losses
    if reduction == "sum":
        return losses.sum()
    total_weight = keep.sum() if weight is None else weight[safe_target].where(keep, 0).sum()
    return losses.sum() / total_weight


def _cross_entropy_probabilities(
    input, target, weight, ignore_index, reduction, label_smoothing, class_dim
):
    """Probability targets: ``-sum_c w_c p_c log softmax(o)_c``; the mean divides by N."""
    if not target.is_floating_point():
        raise RuntimeError(
            f"Expected floating point type for target with class probabilities, got {target.dtype}"
        )
    if ignore_index >= 0:
        raise RuntimeError(
            f"ignore_index is not supported for floating point target (got {ignore_index})"
        )
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
    """torch's checks of class-index targets, made before any arithmetic."""
    if input.dim() == 0:
        raise ValueError("Expected 1 or more dimensions (got 0)")
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


def _check_target_range(target, num_classes, ignore_index):
    """On the CPU, raise torch's IndexError for the first target outside [0, C) that is
    not ``ignore_index``. Elsewhere read nothing back: see the module docstring."""
    if target.device.type != "cpu":
        return
    out_of_range = ((target < 0) | (target >= num_classes)) & (target != ignore_index)
    if out_of_range.any():
        raise IndexError(f"Target {target[out_of_range][0].item()} is out of bounds.")
