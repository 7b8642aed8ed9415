"""functional against torch.nn.functional: linear and the regression losses, smooth L1
included (values, gradients, reductions, warnings, errors). Softmax and cross-entropy
have files of their own."""

import math
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr.nn import functional as F
from minitorch_lr.testing import assert_same_error, assert_same_forward_backward
from minitorch_lr.testing.loss_strategies import reductions, regression_pairs
from minitorch_lr.testing.strategies import features, make_tensor, seeds, shapes
from tests.helpers import DEVICES, DTYPES

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


# --- regression losses --------------------------------------------------------------------


REGRESSION_LOSSES = [
    pytest.param(F.mse_loss, TF.mse_loss, {}, id="mse"),
    pytest.param(F.l1_loss, TF.l1_loss, {}, id="l1"),
    pytest.param(F.huber_loss, TF.huber_loss, {"delta": 1.0}, id="huber"),
    pytest.param(F.huber_loss, TF.huber_loss, {"delta": 0.3}, id="huber-0.3"),
    pytest.param(F.huber_loss, TF.huber_loss, {"delta": 4.0}, id="huber-4"),
    pytest.param(F.smooth_l1_loss, TF.smooth_l1_loss, {"beta": 1.0}, id="smooth-l1"),
    pytest.param(F.smooth_l1_loss, TF.smooth_l1_loss, {"beta": 0.3}, id="smooth-l1-0.3"),
    pytest.param(F.smooth_l1_loss, TF.smooth_l1_loss, {"beta": 0.0}, id="smooth-l1-0"),
    pytest.param(F.smooth_l1_loss, TF.smooth_l1_loss, {"beta": 4.0}, id="smooth-l1-4"),
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
        lambda lib: lib.smooth_l1_loss(
            torch.ones(3, dtype=torch.long), torch.ones(3, dtype=torch.long)
        ),
        # A bad reduction and a bad delta together: torch reports the reduction first.
        lambda lib: lib.huber_loss(torch.ones(3), torch.ones(3), reduction="avg", delta=-1.0),
        lambda lib: lib.smooth_l1_loss(torch.ones(3), torch.ones(3), beta=-0.5),
        lambda lib: lib.linear(np.ones((3, 2), np.float32), torch.ones(1, 2)),
        lambda lib: lib.linear([[1.0, 2.0]], torch.ones(1, 2)),
        lambda lib: lib.linear(torch.ones(3, 2), [[1.0, 2.0]]),
    ],
    ids=[
        "softmax-int",
        "log_softmax-int",
        "mse-int",
        "huber-int",
        "l1-int",
        "smooth-l1-int",
        "huber-order",
        "smooth-l1-negative-beta",
        "linear-numpy-input",
        "linear-list-input",
        "linear-list-weight",
    ],
)
def test_bad_inputs_raise_torchs_error_type(call):
    assert_same_error(lambda: call(F), lambda: call(TF))


@pytest.mark.parametrize(
    ("ours", "theirs", "options"),
    [
        pytest.param(F.huber_loss, TF.huber_loss, {"delta": 1.0}, id="huber"),
        pytest.param(F.huber_loss, TF.huber_loss, {"delta": 0.25}, id="huber-0.25"),
        pytest.param(F.smooth_l1_loss, TF.smooth_l1_loss, {"beta": 0.5}, id="smooth-l1-0.5"),
    ],
)
def test_second_derivative_at_a_zero_residual_is_torchs(ours, theirs, options):
    # Inside the quadratic piece 0.5 * e^2 (or 0.5 * e^2 / beta) the second derivative is
    # 1 (or 1 / beta), also at e = 0, where writing it with |e| would give 0.
    hessians = []
    for loss in (ours, theirs):
        x = torch.tensor([0.0, 0.1, -0.2], dtype=torch.float64, requires_grad=True)
        value = loss(x, torch.zeros(3, dtype=torch.float64), reduction="sum", **options)
        (gradient,) = torch.autograd.grad(value, x, create_graph=True)
        hessians.append(torch.autograd.grad(gradient.sum(), x)[0])
    torch.testing.assert_close(hessians[0], hessians[1])


@given(seed=seeds, shape=shapes(max_dims=2, max_side=4))
def test_an_infinite_huber_delta_is_the_halved_squared_error_with_finite_gradients(seed, shape):
    x, y = make_tensor(shape, seed, scale=10.0), make_tensor(shape, seed + 1, scale=10.0)
    assert_same_forward_backward(
        lambda a, b: F.huber_loss(a, b, delta=math.inf),
        lambda a, b: TF.huber_loss(a, b, delta=math.inf),
        x,
        y,
    )


@given(seed=seeds, shape=shapes(max_dims=2, max_side=4), beta=st.floats(0.01, 5.0))
def test_smooth_l1_is_huber_divided_by_beta(seed, shape, beta):
    x, y = make_tensor(shape, seed, scale=3.0), make_tensor(shape, seed + 1, scale=3.0)
    torch.testing.assert_close(
        F.smooth_l1_loss(x, y, beta=beta, reduction="none"),
        F.huber_loss(x, y, delta=beta, reduction="none") / beta,
    )


def test_mse_loss_of_an_integer_input_and_a_float_target_promotes_like_torch():
    input, target = torch.tensor([1, 2, 3]), torch.tensor([0.5, 2.0, 4.0])
    torch.testing.assert_close(F.mse_loss(input, target), TF.mse_loss(input, target))
