r"""Cross-entropy as a ``torch.autograd.Function`` whose backward is written by hand: the
chapter's gradient :math:`\mathrm{softmax}(o) - \mathrm{onehot}(y)`.

It computes what ``torch.nn.functional.cross_entropy`` does for (N, C) logits and
class-index targets, with class weights, ``ignore_index`` and the three reductions, and
exists to show where the gradient comes from. For one example,
:math:`\ell = \mathrm{logsumexp}(o) - o_y`, and

.. math::

    \frac{\partial \ell}{\partial o_j}
    = \frac{\exp(o_j)}{\sum_k \exp(o_k)} - [j = y]
    = \mathrm{softmax}(o)_j - \mathrm{onehot}(y)_j .

The batch loss scales each example's term by :math:`s_i`: its class weight
:math:`w_{y_i}` (1 without weights, 0 if ignored), further divided by
:math:`\sum_i w_{y_i}` for ``'mean'``; so row i of the gradient is
:math:`s_i \, (\mathrm{softmax}(o_i) - \mathrm{onehot}(y_i))` times the incoming gradient.

:func:`~minitorch_lr.nn.functional.cross_entropy` does not use this class by default:
measured on a 2-core CPU (one thread), a softmax-regression training step took 1.08 to
1.16 times as long with it as with plain autograd at batch 256 (0.99 to 1.08 times at
8192): autograd must call back into Python for this backward, and each of its tensor
operations pays the fixed per-operation cost that dominates at small batches.

Left out: label smoothing, probability targets, K-dim inputs and input validation
(``cross_entropy`` has them all).
"""

import torch
from torch.autograd.function import once_differentiable

from .reduction import check_reduction
from .softmax import log_softmax

__all__ = ["SoftmaxCrossEntropy", "softmax_cross_entropy"]


class SoftmaxCrossEntropy(torch.autograd.Function):
    """Forward: the weighted cross-entropy; backward: ``s * (softmax(o) - onehot(y))``.

    Shape:
        - input: :math:`(N, C)`; target: :math:`(N)`, int64; weight: :math:`(C)` or None.
        - output: a scalar, or :math:`(N)` with ``reduction='none'``.
    """

    @staticmethod
    def forward(ctx, input, target, weight, ignore_index, reduction):
        """The loss, as in :func:`~minitorch_lr.nn.functional.cross_entropy`; saves what
        backward needs: the log-probabilities, the targets and each example's scale s_i."""
        log_probs = log_softmax(input, 1)
        keep = target != ignore_index
        # Ignored targets may hold any value: point them at class 0; their scale is 0.
        safe_target = target.where(keep, 0)
        if weight is None:
            target_weight = keep.to(input.dtype)
        else:
            target_weight = weight[safe_target].where(keep, 0)
        losses = -log_probs.gather(1, safe_target.unsqueeze(1)).squeeze(1) * target_weight
        if reduction == "mean":
            total_weight = target_weight.sum()
            loss = losses.sum() / total_weight
            # where: all targets ignored gives 0 / 0 here; torch's gradient is then 0.
            scale = (target_weight / total_weight).where(keep, 0)
        elif reduction == "sum":
            loss, scale = losses.sum(), target_weight
        else:
            loss, scale = losses, target_weight
        ctx.save_for_backward(log_probs, safe_target, scale)
        return loss

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        r""":math:`\partial L / \partial o_i = s_i \, (\mathrm{softmax}(o_i) -
        \mathrm{onehot}(y_i))`, times the incoming gradient; no gradient for the targets
        or the options."""
        log_probs, safe_target, scale = ctx.saved_tensors
        probs = log_probs.exp()
        onehot = torch.zeros_like(probs).scatter_(1, safe_target.unsqueeze(1), 1.0)
        # grad_output is a scalar for 'mean' and 'sum', one value per example for 'none'.
        grad_input = (probs - onehot) * (scale * grad_output).unsqueeze(1)
        return grad_input, None, None, None, None


def softmax_cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean"):
    """Apply :class:`SoftmaxCrossEntropy` (``Function.apply`` takes no keywords)."""
    check_reduction(reduction)
    return SoftmaxCrossEntropy.apply(input, target, weight, ignore_index, reduction)
