r"""verify's properties for ``torch.nn.functional.softmax`` and ``log_softmax``: a
learner's function of the logits and, if it takes one, the dim.

:math:`\mathrm{softmax}(o)_j = e^{o_j} / \sum_k e^{o_k}` along ``dim``; values and
gradients must equal torch's, on the rows of (N, C) logits (the chapter's use, where a
function of the logits alone is called with them alone), along any dim of any shape if
the function takes a ``dim``, and for large logits, where :math:`e^{o}` overflows unless
the row's maximum is subtracted first.

Left out: the ``dtype`` argument, integer inputs.
"""

from hypothesis import strategies as st

from ..strategies import make_tensor, seeds, tensor_and_dim
from .calling import Twin, accepts, positional_count
from .diagnoses import (
    agrees,
    difference_ratio_cause,
    first_match,
    non_finite_only_in_yours,
    only_gradients_differ,
)
from .properties import Property, forward_backward_mismatch, piece_name
from .report import describe

__all__ = ["properties"]


def _rows(scales):
    """((N, C) logits, dim 1)."""
    return st.builds(
        lambda batch, classes, seed, scale: (make_tensor((batch, classes), seed, scale=scale), 1),
        st.integers(1, 4),
        st.integers(1, 5),
        seeds,
        st.sampled_from(scales),
    )


def _no_dim(piece):
    if accepts(piece, "dim") or positional_count(piece) >= 2:
        return None
    return f"{piece_name(piece)} takes no dim argument"


def properties(path):
    """The checks of the function named ``path``."""
    compare = _compare(Twin(path))
    return [
        Property(
            "rows of (N, C) logits: values and gradients equal torch's", compare, _rows((1.0, 10.0))
        ),
        Property(
            "any dim of any shape: values and gradients equal torch's",
            compare,
            tensor_and_dim(),
            _no_dim,
        ),
        Property(
            "large logits (|o| up to about 10^4): finite, and equal to torch's",
            compare,
            _rows((1e3, 1e4)),
        ),
    ]


def _bind(piece, dim):
    """The piece as a function of the logits: given ``dim`` by keyword if it names one,
    else as its second argument, else not at all (it then works along dim 1)."""
    if accepts(piece, "dim"):
        return lambda x: piece(x, dim=dim), f"{piece_name(piece)}(logits, dim={dim})"
    if positional_count(piece) >= 2:
        return lambda x: piece(x, dim), f"{piece_name(piece)}(logits, {dim})"
    return piece, f"{piece_name(piece)}(logits)"


def _compare(twin):
    def compare(piece, case):
        logits, dim = case
        function, call = _bind(piece, dim)
        example = f"{call} with logits {describe(logits)}"
        theirs = twin.torch_object()
        return forward_backward_mismatch(
            example,
            function,
            lambda x: theirs(x, dim),
            [logits],
            diagnose=lambda observed: _diagnose(twin, function, logits, dim, observed),
        )

    return compare


def _diagnose(twin, function, logits, dim, observed):
    ratio = difference_ratio_cause(observed)
    if only_gradients_differ(observed):
        # The values were right, so no other value can tell what is wrong.
        return ratio
    try:
        ours = function(logits)
    except Exception:
        return None
    theirs = twin.torch_object()(logits, dim)
    is_log = twin.short_name == "log_softmax"
    if non_finite_only_in_yours(ours, theirs):
        shifted = logits - logits.max(dim=dim, keepdim=True).values
        try:
            shifted_right = agrees(function(shifted), theirs)
        except Exception:
            shifted_right = False
        if shifted_right:
            return (
                "NaN or inf only for large logits: the max shift is missing; subtract the "
                "max along dim before exp, which changes no value"
            )
        if is_log:
            return first_match(
                ours,
                [
                    (
                        "log(softmax(o)) is -inf where a probability underflows to 0: compute "
                        "(o - m) - log(sum(exp(o - m)))",
                        lambda: logits.softmax(dim).log(),
                    )
                ],
            )
        return None
    exps = logits.exp()
    wanted = (lambda values: values.log()) if is_log else (lambda values: values)
    other_dim = 0 if dim != 0 and logits.dim() > 1 else logits.dim() - 1
    return first_match(
        ours,
        [
            (
                f"the values normalise along dim {other_dim}, not dim {dim}",
                lambda: twin.torch_object()(logits, other_dim),
            ),
            (
                "the values normalise over the whole tensor: sum along dim only",
                lambda: wanted(exps / exps.sum()),
            ),
            (
                "the sums lack keepdim=True, so they broadcast along the wrong dim",
                lambda: wanted(exps / exps.sum(dim)),
            ),
            (
                "the result is softmax: log_softmax is its log"
                if is_log
                else "the result is log_softmax: softmax is its exp",
                lambda: logits.softmax(dim) if is_log else logits.log_softmax(dim),
            ),
        ],
    ) or difference_ratio_cause(observed)
