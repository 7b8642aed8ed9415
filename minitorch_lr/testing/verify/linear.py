r"""verify's properties for ``torch.nn.Linear``: a learner's class
``Linear(in_features, out_features, ...)`` computing :math:`y = x W^\top + b`.

The layer is built with the options drawn, and its ``weight`` and ``bias`` (found by
torch's names) are copied into a ``torch.nn.Linear``; both run on the same input, and the
output and the gradients of the input, weight and bias must agree. The initial values
are checked in ``linear_init.py``.

Left out: ``repr``, state dicts, ``reset_parameters``, layers with no inputs.
"""

import torch
from hypothesis import strategies as st

from ..assertions import Difference
from ..init_checks import built_after_seed
from ..strategies import make_tensor, seeds, shapes
from .calling import Twin, needs_options
from .diagnoses import difference_ratio_cause, first_match, only_gradients_differ
from .properties import Property, forward_backward_mismatch, piece_name, piece_raised
from .report import Mismatch, describe

__all__ = ["TWIN", "build", "properties"]

TWIN = Twin("torch.nn.Linear")
# (in_features, out_features, batch shape, seed) for the forward and backward checks.
CASES = st.tuples(st.integers(1, 6), st.integers(1, 6), shapes(max_dims=2, max_side=3), seeds)


def properties():
    """The checks of a Linear's forward and backward pass, in the order they are reported
    (``linear_init.py``'s follow)."""
    return [
        Property("forward and backward equal torch's (float32, with bias)", _compare({}), CASES),
        Property(
            "bias=False: no bias; forward and backward equal torch's",
            _compare({"bias": False}),
            CASES,
            needs_options("bias"),
        ),
        Property(
            "dtype=torch.float64: float64 parameters; forward and backward equal torch's",
            _compare({"dtype": torch.float64}),
            CASES,
            needs_options("dtype"),
        ),
        Property(
            "device='cpu': parameters on the CPU; forward and backward equal torch's",
            _compare({"device": "cpu"}),
            CASES,
            needs_options("device"),
        ),
    ]


def _layer_text(piece, in_features, out_features, options):
    arguments = [str(in_features), str(out_features)]
    arguments += [f"{key}={value!r}" for key, value in options.items()]
    return f"{piece_name(piece)}({', '.join(arguments)})"


def build(piece, seed, *arguments, **options):
    """The learner's layer, built after seeding torch's global generator (which it draws
    from, as torch's does), the caller's random state left alone."""
    return built_after_seed(lambda: piece(*arguments, **options), seed)


def _compare(options):
    dtype = options.get("dtype", torch.get_default_dtype())
    has_bias = options.get("bias", True)

    def compare(piece, case):
        in_features, out_features, batch_shape, seed = case
        input_shape = (*batch_shape, in_features)
        x = make_tensor(input_shape, seed, dtype)
        layer_text = _layer_text(piece, in_features, out_features, options)
        example = f"{layer_text} built after torch.manual_seed({seed}), input {describe(x)}"
        twin = built_after_seed(
            lambda: TWIN.torch_object()(in_features, out_features, bias=has_bias, dtype=dtype),
            seed,
        )
        try:
            layer = build(piece, seed, in_features, out_features, **options)
        except Exception as error:
            return piece_raised(example, repr(twin), error)
        problem = _parameter_problem(layer, in_features, out_features, has_bias, dtype)
        if problem is not None:
            return Mismatch(example, *problem)
        parameters = [("weight", layer.weight, twin.weight)]
        if has_bias:
            parameters.append(("bias", layer.bias, twin.bias))
        with torch.no_grad():
            for _, ours, theirs in parameters:
                theirs.copy_(ours)
        return forward_backward_mismatch(
            example,
            layer,
            twin,
            [x],
            parameters,
            lambda observed: _diagnose(piece, options, observed),
        )

    return compare


def _parameter_problem(layer, in_features, out_features, has_bias, dtype):
    """(what, torch gives, the piece gives, diagnose) for parameters that cannot be
    compared with torch's, or None."""
    weight, bias = getattr(layer, "weight", None), getattr(layer, "bias", None)
    expected = (out_features, in_features)
    if not isinstance(weight, torch.Tensor):
        return (
            "the layer's weight",
            f"a tensor of shape {expected}",
            repr(weight),
            lambda: (
                "no tensor named weight: torch's Linear (and verify) name the parameters "
                "weight and bias"
            ),
        )
    if tuple(weight.shape) != expected:
        transposed = tuple(weight.shape) == (in_features, out_features)
        return (
            "the shape of weight",
            str(expected),
            str(tuple(weight.shape)),
            lambda: (
                "weight is stored as (in_features, out_features): torch's is "
                "(out_features, in_features), used as x @ weight.T"
                if transposed
                else None
            ),
        )
    if weight.dtype != dtype:
        return (
            "the dtype of weight",
            str(dtype),
            str(weight.dtype),
            lambda: (
                f"the parameters are not created with dtype={dtype}: pass dtype on to torch.empty"
            ),
        )
    if not has_bias and bias is not None:
        return (
            "the bias",
            "None (bias=False)",
            f"a tensor of shape {tuple(bias.shape)}",
            lambda: "bias=False is accepted, but the layer still makes a bias",
        )
    if has_bias and (not isinstance(bias, torch.Tensor) or tuple(bias.shape) != (out_features,)):
        found = repr(bias) if not isinstance(bias, torch.Tensor) else str(tuple(bias.shape))
        return ("the bias", f"a tensor of shape ({out_features},)", found, None)
    return None


def _diagnose(piece, options, observed):
    if only_gradients_differ(observed):
        if observed.ours is None:
            name = observed.what.removeprefix("the gradients of ")
            return (
                f"{name} gets no gradient: it does not require grad (make it a Parameter, "
                "or create it with requires_grad=True)"
            )
        # The outputs were right, so no probe of the outputs can tell what is wrong.
        return difference_ratio_cause(observed)
    if isinstance(observed, Difference):
        cause = difference_ratio_cause(observed)
        if cause is not None:
            return cause
    dtype = options.get("dtype", torch.get_default_dtype())
    try:
        square = build(piece, 0, 3, 3, **options)
        x = make_tensor((2, 3), 0, dtype)
        output = square(x)
    except Exception:
        return None
    weight, bias = square.weight.detach(), getattr(square, "bias", None)
    bias = 0 if bias is None else bias.detach()
    return first_match(
        output,
        [
            (
                "the outputs equal torch's with the weight transposed: a missing transpose "
                "(torch computes x @ weight.T, its weight being (out_features, in_features))",
                lambda: x @ weight + bias,
            ),
            (
                "the outputs equal torch's without the bias: the bias is not added",
                lambda: x @ weight.T,
            ),
        ],
    )
