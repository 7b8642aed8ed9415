r"""verify's properties of a Linear's initial values: the distribution torch's draws
from, :math:`U(-1/\sqrt{D}, 1/\sqrt{D})` for weight and bias alike, and (as information)
whether the same seed gives torch's very bits.

The distribution is checked on one large layer, 400 x 300 (120,000 weights and 300
biases), by the bounds and a Kolmogorov-Smirnov test
(:func:`~minitorch_lr.testing.init_checks.assert_uniform_draws`). A failure is diagnosed
from the largest value drawn, which on that many draws sits within a fraction of a
percent of the bound used: :math:`\sqrt{6 / D}` is ``kaiming_uniform_`` with its default
``a=0``, :math:`1/D` a forgotten square root, and so on.

Left out: layers on other devices, ``reset_parameters``.
"""

import math

import torch

from ..goodness_of_fit import kolmogorov_smirnov, uniform_cdf
from ..init_checks import assert_uniform_draws, built_after_seed, same_seed_same_bits
from . import linear
from .properties import Information, Property, piece_name, piece_raised
from .report import Mismatch

__all__ = ["properties"]

# The layer whose initial values are tested.
INIT_IN, INIT_OUT = 400, 300
INIT_BOUND = 1 / math.sqrt(INIT_IN)
# A correct layer fails the distribution test with this probability; a bound 2% off
# gives p < 1e-8 on 120,000 draws (tests/testing/test_goodness_of_fit.py).
SIGNIFICANCE = 1e-6


def properties():
    """The checks of a Linear's initial values, in the order they are reported."""
    return [
        Property(
            "initial weight and bias drawn from U(-1/sqrt(in_features), 1/sqrt(in_features))",
            _initial_distribution,
        ),
        Information("same seed gives torch's bits", _same_bits),
    ]


def _initial_distribution(piece, case):
    example = f"{piece_name(piece)}({INIT_IN}, {INIT_OUT}), after torch.manual_seed(0)"
    expected = f"draws from U(-{INIT_BOUND:g}, {INIT_BOUND:g}), the bound 1/sqrt(in_features)"
    try:
        layer = linear.build(piece, 0, INIT_IN, INIT_OUT)
    except Exception as error:
        return piece_raised(example, expected, error)
    for name in ("weight", "bias"):
        values = getattr(layer, name, None)
        if not isinstance(values, torch.Tensor):
            return Mismatch(
                example,
                f"the initial {name}",
                expected,
                repr(values),
                lambda name=name: _no_tensor_named(name),
            )
        try:
            assert_uniform_draws(values, -INIT_BOUND, INIT_BOUND, name, SIGNIFICANCE)
        except AssertionError as error:
            return Mismatch(
                example,
                f"the initial {name}",
                expected,
                str(error),
                lambda name=name, values=values: _diagnose_bound(name, values.detach()),
            )
    return None


def _no_tensor_named(name):
    return (
        f"no tensor named {name}: torch's Linear (and verify) name the parameters weight, "
        "of shape (out_features, in_features), and bias"
    )


def _diagnose_bound(name, values):
    values = values.double().flatten()
    if (values == 0).all():
        return f"{name} is all zeros: it is never drawn"
    if values.min() >= 0:
        return (
            f"{name} has no negative values: U(0, b) (e.g. torch.rand) where torch draws U(-b, b)"
        )
    largest = values.abs().max().item()
    bounds = [
        (
            math.sqrt(6 / INIT_IN),
            "the bound is sqrt(6 / in_features): kaiming_uniform_ with its default a=0; "
            "torch's Linear passes a=sqrt(5), which makes the bound 1/sqrt(in_features)",
        ),
        (
            math.sqrt(3 / INIT_IN),
            "the bound is sqrt(3 / in_features), which gives a standard deviation of "
            "1/sqrt(in_features); torch's bound is 1/sqrt(in_features) itself",
        ),
        (
            math.sqrt(6 / (INIT_IN + INIT_OUT)),
            "the bound is sqrt(6 / (in_features + out_features)): Xavier (Glorot) uniform, "
            "as xavier_uniform_ draws; torch's Linear uses 1/sqrt(in_features)",
        ),
        (1 / INIT_IN, "the bound is 1/in_features: the square root is missing"),
        (
            1 / math.sqrt(INIT_OUT),
            "the bound is 1/sqrt(out_features): torch's counts the inputs, 1/sqrt(in_features)",
        ),
        (1.0, "the draws fill U(-1, 1): the bound 1/sqrt(in_features) is not applied"),
    ]
    for bound, cause in bounds:
        fits = kolmogorov_smirnov(values, uniform_cdf(-bound, bound)).p_value > SIGNIFICANCE
        if abs(largest / bound - 1) < 0.03 and fits:
            return cause
    std = values.std().item()
    normal = lambda x: 0.5 * (1 + torch.special.erf(x / (std * math.sqrt(2))))  # noqa: E731
    if kolmogorov_smirnov(values, normal).p_value > SIGNIFICANCE:
        return (
            f"{name} looks normally distributed (standard deviation {std:.3g}): torch draws "
            "from a uniform distribution"
        )
    return None


def _same_bits(piece):
    try:
        same = same_seed_same_bits(
            lambda: piece(4, 3), lambda: linear.TWIN.torch_object()(4, 3), ("weight", "bias")
        )
        missing = [name for name in ("weight", "bias") if not _has_tensor(piece, name)]
    except Exception as error:
        return f"not compared: {piece_name(piece)}(4, 3) raised {type(error).__name__}: {error}"
    if missing:
        return f"not compared: {_no_tensor_named(missing[0])}"
    if all(same.values()):
        return "yes, the same seed gives torch's weight and bias bit for bit"
    differing = [name for name, equal in same.items() if not equal]
    verb = "differs" if len(differing) == 1 else "differ"
    return (
        f"no, {' and '.join(differing)} {verb}; a correct layer that draws in another "
        "order (torch draws the weight, then the bias) differs here without being wrong"
    )


def _has_tensor(piece, name):
    layer = built_after_seed(lambda: piece(4, 3), 0)
    return isinstance(getattr(layer, name, None), torch.Tensor)
