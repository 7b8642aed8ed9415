"""functional against torch.nn.functional: linear, softmax, log_softmax and the regression
losses (values, gradients, reductions, warnings, errors). Cross-entropy has its own file."""

import math
import warnings

import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr import scratch
from minitorch_lr.nn import functional as F
from tests.helpers import DEVICES, DTYPES, assert_same_error
from tests.strategies import features, make_tensor, reductions, regression_pairs, seeds, shapes


def assert_same_forward_backward(ours, theirs, *tensors, **tolerance):
    """Run ``ours`` and ``theirs`` on copies of ``tensors``; the outputs, and the gradients
    of every tensor under the same random upstream gradient, agree.

    NaN must appear in both at the same places (an all-ignored mean is 0 / 0 in torch too).
    ``tolerance`` (``rtol``, ``atol``) overrides torch.testing's defaults for the dtype.
    """
    ours_inputs = [tensor.clone().requires_grad_() for tensor in tensors]
    theirs_inputs = [tensor.clone().requires_grad_() for tensor in tensors]
    ours_output, theirs_output = ours(*ours_inputs), theirs(*theirs_inputs)
    torch.testing.assert_close(ours_output, theirs_output, equal_nan=True, **tolerance)
    upstream = make_tensor(theirs_output.shape, 0, theirs_output.dtype).to(tensors[0].device)
    ours_output.backward(upstream)
    theirs_output.backward(upstream)
    for ours_input, theirs_input in zip(ours_inputs, theirs_inputs):
        torch.testing.assert_close(ours_input.grad, theirs_input.grad, equal_nan=True, **tolerance)


# --- linear -----------------------------------------------------------------------------


@given(
    seed=seeds,
    in_features=features,
    out_features=features,
    batch_shape=shapes(max_dims=3, max_side=4),
    bias=st.booleans(),
)
def test_linear_matches_torch(seed, in_features, out_features, batch_shape, bias):
    x = make_tensor(batch_shape + (in_features,), seed)
    weight = make_tensor((out_features, in_features), seed + 1)
    tensors = (x, weight, make_tensor((out_features,), seed + 2)) if bias else (x, weight)
    assert_same_forward_backward(F.linear, TF.linear, *tensors)


# --- softmax and log_softmax --------------------------------------------------------------


@st.composite
def tensor_and_dim(draw, dtype=torch.float64, scales=(1.0, 30.0)):
    """A tensor with at least one dim and a valid (possibly negative) dim; sides may be 0."""
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=0, max_side=4))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    return make_tensor(shape, draw(seeds), dtype, draw(st.sampled_from(scales))), dim


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@given(case=tensor_and_dim())
def test_softmax_and_log_softmax_match_torch(device, dtype, name, case):
    x, dim = case
    x = x.to(device=device, dtype=dtype)
    ours, theirs = getattr(F, name), getattr(TF, name)
    assert_same_forward_backward(lambda t: ours(t, dim), lambda t: theirs(t, dim), x)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@given(case=tensor_and_dim(dtype=torch.float32))
def test_dtype_argument_casts_before_computing_like_torch(name, case):
    x, dim = case
    ours, theirs = getattr(F, name), getattr(TF, name)
    result = ours(x, dim, dtype=torch.float64)
    assert result.dtype == torch.float64
    torch.testing.assert_close(result, theirs(x, dim, dtype=torch.float64))


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_zero_dim_tensor_along_dim_0_matches_torch(name):
    x = torch.tensor(3.0, dtype=torch.float64)
    torch.testing.assert_close(getattr(F, name)(x, 0), getattr(TF, name)(x, 0))


@pytest.mark.parametrize("logit", [1e4, -1e4])
def test_shift_keeps_extreme_logits_finite_where_the_naive_softmax_fails(logit):
    # Float32 rows with one extreme logit: exp(1e4) overflows to inf and exp(-1e4)
    # underflows to 0, in the chapter's naive softmax; with the max shift they do neither.
    logits = torch.tensor([[logit, 0.0, 1.0], [logit, logit, logit - 50.0]])
    naive = scratch.softmax(logits)
    assert not torch.isfinite(naive).all()
    for name in ("softmax", "log_softmax"):
        ours = getattr(F, name)(logits, 1)
        assert torch.isfinite(ours).all()
        torch.testing.assert_close(ours, getattr(TF, name)(logits, 1))


def test_log_softmax_keeps_tiny_probabilities_as_finite_logs():
    # softmax(o)_2 = e^-200 is 0 in float32, so log(softmax) is -inf; log_softmax is -200.
    logits = torch.tensor([0.0, 0.0, -200.0])
    assert torch.log(F.softmax(logits, 0))[2] == float("-inf")
    torch.testing.assert_close(F.log_softmax(logits, 0)[2], torch.tensor(-200.0 - math.log(2.0)))


def test_log_softmax_gradient_is_one_hot_minus_softmax():
    # d log softmax(o)_y / d o = onehot(y) - softmax(o): the identity cross-entropy uses.
    logits = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64, requires_grad=True)
    F.log_softmax(logits, 0)[1].backward()
    expected = torch.tensor([0.0, 1.0, 0.0], dtype=torch.float64) - F.softmax(logits, 0)
    torch.testing.assert_close(logits.grad, expected.detach())


# --- regression losses --------------------------------------------------------------------


REGRESSION_LOSSES = [
    pytest.param(F.mse_loss, TF.mse_loss, {}, id="mse"),
    pytest.param(F.l1_loss, TF.l1_loss, {}, id="l1"),
    pytest.param(F.huber_loss, TF.huber_loss, {"delta": 1.0}, id="huber"),
    pytest.param(F.huber_loss, TF.huber_loss, {"delta": 0.3}, id="huber-0.3"),
    pytest.param(F.huber_loss, TF.huber_loss, {"delta": 4.0}, id="huber-4"),
]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("ours, theirs, options", REGRESSION_LOSSES)
@given(pair=regression_pairs(), reduction=reductions)
def test_regression_loss_values_and_gradients_match_torch(
    device, dtype, ours, theirs, options, pair, reduction
):
    # Gradients are compared for the target too: both libraries differentiate it.
    tensors = [tensor.to(device=device, dtype=dtype) for tensor in pair]
    assert_same_forward_backward(
        lambda x, y: ours(x, y, reduction=reduction, **options),
        lambda x, y: theirs(x, y, reduction=reduction, **options),
        *tensors,
    )


@pytest.mark.parametrize("ours, theirs, options", REGRESSION_LOSSES)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize(
    "input_shape, target_shape", [((3, 1), (3,)), ((3,), (1,)), ((2, 3), (3,))]
)
def test_broadcast_targets_warn_and_give_torchs_result(
    ours, theirs, options, reduction, input_shape, target_shape
):
    x, y = make_tensor(input_shape, 1), make_tensor(target_shape, 2)
    with pytest.warns(UserWarning, match="Using a target size") as our_warnings:
        ours_result = ours(x, y, reduction=reduction, **options)
    with pytest.warns(UserWarning) as torch_warnings:
        theirs_result = theirs(x, y, reduction=reduction, **options)
    assert str(our_warnings[0].message) == str(torch_warnings[0].message)
    torch.testing.assert_close(ours_result, theirs_result)


@pytest.mark.parametrize("ours, theirs, options", REGRESSION_LOSSES)
def test_same_sizes_do_not_warn(ours, theirs, options):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours(torch.ones(2, 3), torch.zeros(2, 3), **options)


@pytest.mark.parametrize("ours, theirs, options", REGRESSION_LOSSES)
def test_mixed_dtypes_promote_to_the_wider_dtype(ours, theirs, options):
    # As torch's mse_loss and l1_loss do. torch's huber_loss instead returns the input's
    # dtype and then fails in backward ("Found dtype Double but expected Float"); this
    # one promotes like the other two, so it is compared with torch's in float64.
    x = make_tensor((4,), 1, torch.float32, scale=3.0)
    y = make_tensor((4,), 2, torch.float64, scale=3.0)
    assert_same_forward_backward(
        lambda a, b: ours(a, b, **options),
        lambda a, b: theirs(a.double(), b, **options),
        x,
        y,
    )


@pytest.mark.parametrize("ours, theirs, options", REGRESSION_LOSSES)
def test_unknown_reduction_is_torchs_value_error(ours, theirs, options):
    x = torch.ones(3)
    error = assert_same_error(
        lambda: ours(x, x, reduction="average", **options),
        lambda: theirs(x, x, reduction="average", **options),
        match="average is not a valid value for reduction",
    )
    assert isinstance(error, ValueError)


@pytest.mark.parametrize("ours, theirs, options", REGRESSION_LOSSES)
def test_shapes_that_do_not_broadcast_raise_torchs_error(ours, theirs, options):
    x, y = torch.ones(3), torch.ones(4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        assert_same_error(
            lambda: ours(x, y, **options), lambda: theirs(x, y, **options), match="size"
        )


@pytest.mark.parametrize("delta", [0.0, -1.0, float("nan")])
def test_non_positive_huber_delta_is_torchs_runtime_error(delta):
    x = torch.ones(3)
    error = assert_same_error(
        lambda: F.huber_loss(x, x, delta=delta),
        lambda: TF.huber_loss(x, x, delta=delta),
        match="huber_loss does not support non-positive values for delta",
    )
    assert isinstance(error, RuntimeError)


def test_huber_is_half_squared_inside_delta_and_linear_outside():
    # Errors 0.5 and 3 with delta 1: 0.5 * 0.5^2 = 0.125 and 1 * (3 - 0.5) = 2.5.
    losses = F.huber_loss(torch.tensor([0.5, -3.0]), torch.zeros(2), reduction="none")
    torch.testing.assert_close(losses, torch.tensor([0.125, 2.5]))


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.softmax(torch.ones(2, 3, dtype=torch.long), 1),
        lambda lib: lib.log_softmax(torch.ones(2, 3, dtype=torch.long), 1),
        lambda lib: lib.mse_loss(torch.ones(3, dtype=torch.long), torch.ones(3, dtype=torch.long)),
        lambda lib: lib.huber_loss(
            torch.ones(3, dtype=torch.long), torch.ones(3, dtype=torch.long)
        ),
        lambda lib: lib.l1_loss(torch.ones(3, dtype=torch.long), torch.ones(3, dtype=torch.long)),
        # A bad reduction and a bad delta together: torch reports the reduction first.
        lambda lib: lib.huber_loss(torch.ones(3), torch.ones(3), reduction="avg", delta=-1.0),
    ],
    ids=["softmax-int", "log_softmax-int", "mse-int", "huber-int", "l1-int", "huber-order"],
)
def test_bad_inputs_raise_torchs_error_type(call):
    assert_same_error(lambda: call(F), lambda: call(TF))


def test_mse_loss_of_an_integer_input_and_a_float_target_promotes_like_torch():
    input, target = torch.tensor([1, 2, 3]), torch.tensor([0.5, 2.0, 4.0])
    torch.testing.assert_close(F.mse_loss(input, target), TF.mse_loss(input, target))
