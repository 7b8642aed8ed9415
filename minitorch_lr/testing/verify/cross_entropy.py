r"""verify's properties for cross-entropy: ``torch.nn.CrossEntropyLoss`` (a class) and
``torch.nn.functional.cross_entropy`` (a function).

Both take **logits** :math:`o` (N, C) and class indices :math:`y` (N), and give the mean
of :math:`\ell(o, y) = \log \sum_c e^{o_c} - o_y`; the loss and the gradient with respect
to the logits must equal torch's. Large logits (about :math:`10^3` to :math:`10^4`) are a
property of their own: a piece that computes :math:`e^{o_c}` without first subtracting
the row's maximum overflows there. Each option the piece takes is checked on its own:
``reduction``, ``weight``, ``ignore_index``, ``label_smoothing``.

The chapter's from-scratch ``cross_entropy(y_hat, y)`` takes *probabilities* and returns
one loss per example, so it fails here, by design: it is not torch's function.

Left out: probability targets, unbatched (C) and (N, C, d1, ...) inputs, float32, and a
batch whose every target is ``ignore_index`` (torch's loss is then NaN, its gradient 0).
"""

import torch
from hypothesis import strategies as st

from ..loss_strategies import class_index_batches
from .calling import Twin, needs_options
from .diagnoses import (
    agrees,
    difference_ratio_cause,
    first_match,
    gradient_of,
    non_finite_only_in_yours,
    only_gradients_differ,
    reduction_candidates,
)
from .properties import Property, loss_mismatch

__all__ = ["properties"]

ORDINARY, LARGE = (1.0, 10.0), (1e3, 1e4)
LOG_OF_SOFTMAX = (
    "the loss takes log(softmax(o)), whose log (or its gradient) is infinite where a "
    "probability underflows to 0: compute log-softmax as (o - m) - log(sum(exp(o - m)))"
)


@st.composite
def _cases(draw, option=None, scales=ORDINARY):
    """(logits, target, options), with ``option`` drawn (and for ``ignore_index``, a share
    of the targets set to it, the first one always counted: with every target ignored,
    torch's mean is 0/0, a case of its own that this does not check)."""
    logits, target = draw(class_index_batches(scales))
    classes = logits.shape[1]
    options = {}
    if option in ("sum", "none"):
        options["reduction"] = option
    elif option == "weight":
        seed = draw(st.integers(0, 2**32 - 1))
        generator = torch.Generator().manual_seed(seed)
        options["weight"] = torch.rand(classes, generator=generator, dtype=logits.dtype) + 0.1
    elif option == "ignore_index":
        # With one class every target is 0, so 0 would be ignored everywhere.
        ignore_index = draw(st.sampled_from([-100, 0] if classes > 1 else [-100]))
        ignored = draw(st.lists(st.booleans(), min_size=len(target), max_size=len(target)))
        target = target.clone()
        target[1:][torch.tensor(ignored[1:], dtype=torch.bool)] = ignore_index
        if ignore_index == 0:
            target[0] = draw(st.integers(1, classes - 1))
        options["ignore_index"] = ignore_index
    elif option == "label_smoothing":
        options["label_smoothing"] = draw(st.sampled_from([0.1, 0.5, 1.0]))
    return logits, target, options


def properties(path):
    """The checks of the cross-entropy named ``path``."""
    twin = Twin(path)
    compare = _compare(twin)
    return [
        Property(
            "class-index targets, default options: loss and gradient equal torch's",
            compare,
            _cases(),
        ),
        Property(
            "large logits (|o| up to about 10^4): finite, and equal to torch's",
            compare,
            _cases(scales=LARGE),
        ),
        Property(
            "reduction='sum': loss and gradient equal torch's",
            compare,
            _cases("sum"),
            needs_options("reduction"),
        ),
        Property(
            "reduction='none': loss and gradient equal torch's",
            compare,
            _cases("none"),
            needs_options("reduction"),
        ),
        Property(
            "weight=: the weighted mean equals torch's",
            compare,
            _cases("weight"),
            needs_options("weight"),
        ),
        Property(
            "ignore_index=: ignored targets left out, as in torch",
            compare,
            _cases("ignore_index"),
            needs_options("ignore_index"),
        ),
        Property(
            "label_smoothing=: loss and gradient equal torch's",
            compare,
            _cases("label_smoothing"),
            needs_options("label_smoothing"),
        ),
    ]


def _compare(twin):
    def compare(piece, case):
        logits, target, options = case
        return loss_mismatch(
            twin,
            piece,
            options,
            logits,
            target,
            ("logits", "target"),
            lambda loss, observed: _diagnose(twin, loss, logits, target, options, observed),
            target_has_grad=False,
        )

    return compare


def _reduce(losses, reduction):
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    return losses


def _diagnose(twin, loss, logits, target, options, observed):
    reduction = options.get("reduction", "mean")
    picked = target[:, None]

    def log_of_softmax(x):
        return _reduce(-x.softmax(1).log().gather(1, picked).squeeze(1), reduction)

    ratio = difference_ratio_cause(observed, count=len(target))
    if only_gradients_differ(observed):
        # The values were right, so only another gradient can tell what is wrong.
        return ratio or first_match(
            observed.ours, [(LOG_OF_SOFTMAX, lambda: gradient_of(log_of_softmax, logits))]
        )
    try:
        ours = loss(logits, target)
    except Exception:
        return None

    def torch_value(changed, inputs=logits):
        return twin.torch_callable(changed)(inputs, target)

    by_batch_max, without_keepdim = _shift_mistakes(logits, target, reduction)
    if non_finite_only_in_yours(ours, torch_value(options)):
        # A batch-wide maximum differs from the right shift only where it underflows.
        cause = first_match(ours, [by_batch_max, without_keepdim])
        if cause is not None:
            return cause
        shifted = logits - logits.max(dim=1, keepdim=True).values
        try:
            shifted_right = agrees(loss(shifted, target), torch_value(options))
        except Exception:
            shifted_right = False
        if shifted_right:
            return (
                "NaN or inf only for large logits: the max shift is missing; subtract each "
                "row's max from the logits before exp (the log-sum-exp trick), which changes "
                "no value"
            )
        return first_match(ours, [(LOG_OF_SOFTMAX, lambda: log_of_softmax(logits))])
    def probabilities():
        # Raises for an ignored target such as -100, which first_match then passes over.
        return -logits.gather(1, picked).squeeze(1).log()

    as_probabilities = (
        "the loss is -log(input[y]): the input is taken for probabilities, as by the "
        "chapter's from-scratch cross_entropy; torch's cross_entropy takes logits and applies "
        "log_softmax itself"
    )
    candidates = [
        (as_probabilities, lambda: _reduce(probabilities(), reduction)),
        (as_probabilities, probabilities),
    ]
    if "weight" in options:
        without = {key: value for key, value in options.items() if key != "weight"}
        candidates += [
            ("weight is not applied", lambda: torch_value(without)),
            (
                "the weighted losses are divided by N; torch's weighted mean divides by the "
                "sum of the targets' weights",
                lambda: torch_value({**options, "reduction": "sum"}) / len(target),
            ),
        ]
    if "ignore_index" in options:
        candidates += [
            (
                "the mean divides by all N targets; torch divides by the number of targets "
                "not ignored",
                lambda: torch_value({**options, "reduction": "sum"}) / len(target),
            ),
            (
                "ignore_index is not applied: the ignored targets count as classes",
                lambda: torch_value({**options, "ignore_index": -100}),
            ),
        ]
    if "label_smoothing" in options:
        candidates.append(
            (
                "label_smoothing is not applied",
                lambda: torch_value({**options, "label_smoothing": 0.0}),
            )
        )
    # The options' own mistakes first: on a small batch, a weighted mean divided by N can
    # equal another reduction too.
    candidates += reduction_candidates(torch_value, options)
    candidates.append(without_keepdim)
    cause = first_match(ours, candidates) or ratio
    if cause is None and isinstance(ours, torch.Tensor) and ours.shape == target.shape:
        if reduction != "none":
            return f"one loss per example where reduction='{reduction}' reduces them to one"
    return cause


def _shift_mistakes(logits, target, reduction):
    """:func:`first_match` candidates for a log-sum-exp shifted by the wrong maximum: by
    the batch's, and by the rows' taken without ``keepdim=True``. Both compute the plain
    loss, without ``weight`` or the other options."""
    picked = target[:, None]

    def by_batch_max():
        # One maximum for the whole batch: right in exact arithmetic, but a row far below
        # it underflows, exp gives 0 everywhere in it and the log -inf.
        top = logits.max()
        log_sum_exp = (logits - top).exp().sum(dim=1).log() + top
        return _reduce(log_sum_exp - logits.gather(1, picked).squeeze(1), reduction)

    def without_keepdim():
        # max(dim=1) has shape (N,); (N, C) - (N,) broadcasts along the classes.
        shifted = logits - logits.max(dim=1).values
        log_sum_exp = shifted.exp().sum(dim=1).log()
        return _reduce(log_sum_exp - shifted.gather(1, picked).squeeze(1), reduction)

    return [
        (
            "the logits are shifted by one maximum for the whole batch: a row far below it "
            "underflows (every exp is 0, its log -inf); subtract each row's own maximum, "
            "logits.max(dim=1, keepdim=True)",
            by_batch_max,
        ),
        (
            "the row maxima are subtracted without keepdim=True: logits.max(dim=1) has "
            "shape (N,), and (N, C) - (N,) subtracts them along the classes instead of the "
            "rows; use logits.max(dim=1, keepdim=True)",
            without_keepdim,
        ),
    ]
