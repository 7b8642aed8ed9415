"""verify's properties for ``torch.nn.Flatten``: a learner's class
``Flatten(start_dim=1, end_dim=-1)`` that merges dims ``start_dim`` to ``end_dim``
(inclusive) into one.

Flattening moves no number, so values and gradients must equal torch's exactly
(tolerance 0), and the shape must be torch's: a batch of images (N, 1, 28, 28) becomes
(N, 784).

Left out: the errors for dims out of range, ``repr``.
"""

import math

from hypothesis import strategies as st

from ..strategies import make_tensor, seeds, shapes
from .calling import Twin, needs_options
from .diagnoses import first_match
from .properties import Property, forward_backward_mismatch, piece_name, piece_raised
from .report import describe

__all__ = ["properties"]

TWIN = Twin("torch.nn.Flatten")


@st.composite
def _cases(draw, option=None):
    """(input shape, seed, options): two to four dims; ``option`` ("start_dim" or
    "end_dim") is drawn among the valid dims, possibly negative."""
    shape = draw(shapes(min_dims=2, max_dims=4, min_side=1, max_side=3))
    ndim = len(shape)
    options = {}
    if option == "start_dim":
        options["start_dim"] = draw(st.integers(-ndim, ndim - 1))
    elif option == "end_dim":
        # The default start_dim is 1, so end_dim must come at or after it.
        options["end_dim"] = draw(st.sampled_from([*range(1, ndim), *range(1 - ndim, 0)]))
    return shape, draw(seeds), options


def properties():
    """The checks of a Flatten, in the order they are reported."""
    return [
        Property(
            "forward and backward equal torch's (start_dim=1, end_dim=-1)", _compare, _cases()
        ),
        Property(
            "start_dim=: forward and backward equal torch's",
            _compare,
            _cases("start_dim"),
            needs_options("start_dim"),
        ),
        Property(
            "end_dim=: forward and backward equal torch's",
            _compare,
            _cases("end_dim"),
            needs_options("end_dim"),
        ),
    ]


def _compare(piece, case):
    shape, seed, options = case
    x = make_tensor(shape, seed)
    arguments = ", ".join(f"{key}={value}" for key, value in options.items())
    example = f"{piece_name(piece)}({arguments}), input of shape {shape}: {describe(x)}"
    twin = TWIN.torch_object()(**options)
    try:
        layer = piece(**options)
    except Exception as error:
        return piece_raised(example, twin(x), error)
    # Flattening only moves numbers, so torch's values come out exactly.
    return forward_backward_mismatch(
        example, layer, twin, [x], diagnose=lambda observed: _diagnose(layer, x), rtol=0, atol=0
    )


def _diagnose(layer, x):
    try:
        output = layer(x)
    except Exception:
        return None
    rows = x.shape[0]
    return first_match(
        output,
        [
            (
                "the batch dim is flattened too: torch keeps dim 0 and merges the rest "
                "(x.reshape(x.shape[0], -1))",
                lambda: x.reshape(-1),
            ),
            (
                "start_dim and end_dim are ignored: the output is that of Flatten()",
                lambda: x.reshape(rows, -1),
            ),
            (
                "the values come out in another order: a transpose before the reshape",
                lambda: x.transpose(-1, -2).reshape(rows, -1),
            ),
            (
                "end_dim is left out of the merge: torch's end_dim is inclusive",
                lambda: x.reshape(rows, math.prod(x.shape[1:-1]), x.shape[-1]),
            ),
        ],
    )
