"""cross_entropy against torch.nn.functional.cross_entropy: every option, stability at
extreme logits, edge cases and errors. The shorter routes have their own file
(test_cross_entropy_fast.py), and so has the hand-written gradient
(test_softmax_cross_entropy.py)."""

import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr import scratch
from minitorch_lr.nn import functional as F
from minitorch_lr.testing import assert_same_error, assert_same_forward_backward
from minitorch_lr.testing.loss_strategies import (
    class_index_cases,
    probability_target_cases,
)
from minitorch_lr.testing.strategies import make_tensor, seeds
from tests.helpers import DEVICES, DTYPES


def both(logits, target, **kwargs):
    """Compare F.cross_entropy with torch's on values and the logits' gradient."""
    assert_same_forward_backward(
        lambda x: F.cross_entropy(x, target, **kwargs),
        lambda x: TF.cross_entropy(x, target, **kwargs),
        logits,
    )


# --- every option, against torch ----------------------------------------------------------


REDUCTIONS = ["mean", "sum", "none"]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@given(data=st.data())
def test_class_index_targets_match_torch(device, dtype, reduction, weighted, data):
    # Reduction and weighting are parametrized so that each combination (the weighted
    # mean with ignored targets above all) runs every time, not only when drawn.
    logits, target, kwargs = data.draw(
        class_index_cases(weighted=st.just(weighted), reduction=st.just(reduction))
    )
    if weighted:
        kwargs["weight"] = kwargs["weight"].to(device=device, dtype=dtype)
    both(logits.to(device=device, dtype=dtype), target.to(device), **kwargs)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(data=st.data())
def test_probability_targets_match_torch(device, dtype, reduction, data):
    logits, target, kwargs = data.draw(probability_target_cases(reduction=st.just(reduction)))
    if kwargs["weight"] is not None:
        kwargs["weight"] = kwargs["weight"].to(device=device, dtype=dtype)
    both(logits.to(device=device, dtype=dtype), target.to(device=device, dtype=dtype), **kwargs)


@given(case=class_index_cases())
def test_uint8_targets_give_torchs_result_for_the_same_int64_targets(case):
    # torch accepts uint8 targets ("Long or Byte") but then fails for K-dim inputs and
    # for weights with smoothing and 'mean'; here they work everywhere, as int64 would.
    # uint8 cannot hold a negative ignore_index, so ignored positions get class 0.
    logits, target, kwargs = case
    target = target.where(target >= 0, 0)
    assert_same_forward_backward(
        lambda x: F.cross_entropy(x, target.to(torch.uint8), **kwargs),
        lambda x: TF.cross_entropy(x, target, **kwargs),
        logits,
    )


@given(case=probability_target_cases())
def test_probability_targets_of_another_float_dtype_promote_like_torch(case):
    logits, target, kwargs = case
    kwargs["weight"] = None
    # Float32 logits, float64 targets: the result is float64, but both libraries compute
    # the log-probabilities in float32 (differently rounded), hence float32 tolerances.
    assert_same_forward_backward(
        lambda x: F.cross_entropy(x, target, **kwargs),
        lambda x: TF.cross_entropy(x, target, **kwargs),
        logits.float(),
        rtol=1.3e-6,
        atol=1e-5,
    )


# --- the shorter routes, through cross_entropy -------------------------------------------


@given(case=class_index_cases())
def test_default_options_with_ignored_targets_fall_back_and_match_torch(case):
    # The plain path's gather rejects -100; cross_entropy must then mask, not fail.
    logits, target, kwargs = case
    both(logits, target, ignore_index=kwargs["ignore_index"], reduction=kwargs["reduction"])


# --- stability --------------------------------------------------------------------------


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
# Options beyond the defaults take the general path through log_softmax: its max shift
# must hold at these magnitudes too, not only the short default path's.
@pytest.mark.parametrize("option", ["default", "weight", "label_smoothing", "ignore_index"])
@given(seed=seeds, batch=st.integers(1, 4), classes=st.integers(2, 5))
def test_float32_logits_of_magnitude_1e4_give_torchs_finite_loss_and_gradient(
    device, reduction, option, seed, batch, classes
):
    logits = make_tensor((batch, classes), seed, torch.float32, scale=1e4).to(device)
    generator = torch.Generator().manual_seed(seed)
    target = torch.randint(0, classes, (batch,), generator=generator).to(device)
    kwargs = {"reduction": reduction}
    if option == "weight":
        kwargs["weight"] = torch.rand(classes, generator=generator).add(0.5).to(device)
    elif option == "label_smoothing":
        kwargs["label_smoothing"] = 0.1
    elif option == "ignore_index":
        kwargs["ignore_index"] = classes - 1
        target[0] = 0  # keep at least one target, so a mean has something to divide
    x = logits.clone().requires_grad_()
    loss = F.cross_entropy(x, target, **kwargs)
    loss.sum().backward()
    assert torch.isfinite(loss).all() and torch.isfinite(x.grad).all()
    both(logits, target, **kwargs)


def test_the_chapters_naive_cross_entropy_overflows_on_the_same_logits():
    logits = torch.tensor([[1e4, 0.0, -1e4], [0.0, 1e4, 5e3]])
    target = torch.tensor([0, 2])
    naive = scratch.cross_entropy(scratch.softmax(logits), target)
    assert not torch.isfinite(naive).all()
    ours = F.cross_entropy(logits, target, reduction="none")
    # Row 0 is certain and right (loss 0); row 1 is off by 1e4 - 5e3.
    torch.testing.assert_close(ours, torch.tensor([0.0, 5e3]))


# --- edge cases -------------------------------------------------------------------------


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
def test_all_targets_ignored_gives_torchs_nan_mean_and_zero_gradient(
    reduction, weighted, label_smoothing
):
    logits = make_tensor((3, 4), 0)
    target = torch.full((3,), -100)
    weight = make_tensor((4,), 1).abs() if weighted else None
    options = {"weight": weight, "reduction": reduction, "label_smoothing": label_smoothing}
    both(logits, target, **options)
    x = logits.clone().requires_grad_()
    loss = F.cross_entropy(x, target, **options)
    loss.sum().backward()
    assert (x.grad == 0).all()
    if reduction == "mean":
        assert loss.isnan()


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("probabilities", [False, True])
def test_empty_batch_matches_torch(reduction, probabilities):
    logits = torch.zeros(0, 4, dtype=torch.float64)
    target = torch.zeros(0, 4, dtype=torch.float64) if probabilities else torch.zeros(0).long()
    both(logits, target, reduction=reduction)


def test_ignore_index_may_name_a_real_class():
    logits = make_tensor((5, 3), 4)
    both(logits, torch.tensor([0, 1, 2, 1, 1]), ignore_index=1)


def test_uniform_logits_cost_log_c():
    # softmax of equal logits is 1/C for every class, so the loss is log C.
    loss = F.cross_entropy(torch.zeros(2, 4), torch.tensor([0, 3]))
    torch.testing.assert_close(loss, torch.tensor(4.0).log())


def test_weighted_mean_divides_by_the_weights_of_the_counted_targets():
    # Uniform logits: every example's loss is log 2. Weights 1 and 3, third ignored:
    # (1 * log 2 + 3 * log 2) / (1 + 3) = log 2, not (4 log 2) / 3 examples.
    loss = F.cross_entropy(
        torch.zeros(3, 2), torch.tensor([0, 1, -100]), weight=torch.tensor([1.0, 3.0])
    )
    torch.testing.assert_close(loss, torch.tensor(2.0).log())


# --- errors -----------------------------------------------------------------------------


def bad_calls():
    """(id, our call, torch's call, match) for every error cross_entropy raises."""
    logits = torch.randn(3, 4)
    good = torch.tensor([0, 1, 2])
    cases = {
        "target-out-of-range": ((logits, torch.tensor([0, 12, 1])), {}, "Target 12 is out"),
        "negative-target": ((logits, torch.tensor([0, -1, 1])), {}, "Target -1 is out"),
        "out-of-range-weighted": (
            (logits, torch.tensor([0, 7, 1])),
            {"weight": torch.ones(4)},
            "Target 7 is out",
        ),
        "out-of-range-smoothed": (
            (logits, torch.tensor([4, 1, 1])),
            {"label_smoothing": 0.1},
            "Target 4 is out",
        ),
        "out-of-range-k-dim": (
            (torch.randn(2, 3, 2), torch.tensor([[0, 3], [1, 1]])),
            {},
            "Target 3 is out",
        ),
        "out-of-range-unbatched": ((torch.randn(4), torch.tensor(9)), {}, "Target 9 is out"),
        "out-of-range-beside-ignored": (
            (logits, torch.tensor([-100, 5, 1])),
            {},
            "Target 5 is out",
        ),
        "int32-target": ((logits, good.int()), {}, "expected target dtype"),
        "float-class-target": ((logits, good.float()), {}, "expected target dtype"),
        "batch-mismatch": ((logits, torch.tensor([0, 1])), {}, r"batch_size \(3\)"),
        "0-d-target-for-a-batch": ((logits, torch.tensor(1)), {}, r"batch_size \(3\)"),
        "multi-target": ((logits, torch.zeros(3, 2).long()), {}, None),
        "k-dim-target-shape": (
            (torch.randn(2, 3, 4), torch.zeros(2, 5).long()),
            {},
            r"Expected target size \[2, 4\], got \[2, 5\]",
        ),
        "weight-size": ((logits, good), {"weight": torch.ones(3)}, "weight tensor should"),
        "weight-2d": ((logits, good), {"weight": torch.ones(4, 1)}, "weight tensor should"),
        "weight-size-probabilities": (
            (logits, torch.rand(3, 4)),
            {"weight": torch.ones(5)},
            "weight tensor should",
        ),
        "weight-dtype": ((logits, good), {"weight": torch.ones(4).double()}, None),
        "smoothing-above-1": ((logits, good), {"label_smoothing": 1.5}, "label_smoothing"),
        "smoothing-above-1-probabilities": (
            (logits, torch.rand(3, 4)),
            {"label_smoothing": 2.0},
            "label_smoothing",
        ),
        "integer-probabilities": (
            (logits, torch.ones(3, 4).long()),
            {},
            "Expected floating point type for target with class probabilities",
        ),
        "ignore-index-with-probabilities": (
            (logits, torch.rand(3, 4)),
            {"ignore_index": 0},
            "ignore_index is not supported for floating point target",
        ),
        "unknown-reduction": (
            (logits, good),
            {"reduction": "avg"},
            "avg is not a valid value for reduction",
        ),
    }
    return [pytest.param(*case, id=name) for name, case in cases.items()]


@pytest.mark.parametrize("args, kwargs, match", bad_calls())
def test_bad_input_raises_torchs_exception_type(args, kwargs, match):
    error = assert_same_error(
        lambda: F.cross_entropy(*args, **kwargs),
        lambda: TF.cross_entropy(*args, **kwargs),
        match=match,
    )
    if match and match.startswith("Target"):
        assert type(error) is IndexError


def test_negative_label_smoothing_is_an_error():
    # torch accepts it silently (treating it as 0 for class indices); its own message
    # says label_smoothing must be in [0, 1], and so this one enforces it.
    with pytest.raises(RuntimeError, match=r"between 0.0 and 1.0. Got: -0.1"):
        F.cross_entropy(torch.randn(3, 4), torch.tensor([0, 1, 2]), label_smoothing=-0.1)


def test_integer_logits_are_torchs_not_implemented_error():
    logits = torch.ones(2, 3, dtype=torch.long)
    target = torch.zeros(2, dtype=torch.long)
    assert_same_error(
        lambda: F.cross_entropy(logits, target), lambda: TF.cross_entropy(logits, target)
    )



# --- unbatched inputs, weights that zero every target, weights that require grad -----------


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
@given(seed=seeds, classes=st.integers(2, 5), ignored=st.booleans())
def test_unbatched_logits_take_a_target_of_size_one_like_torch(
    reduction, weighted, seed, classes, ignored
):
    # (C,) logits with a () target, or with a (1,) one: the same loss in torch. (With a
    # single class the two shapes are equal, which makes the target probabilities.)
    logits = make_tensor((classes,), seed)
    target = torch.randint(0, classes, (), generator=torch.Generator().manual_seed(seed))
    kwargs = {"reduction": reduction, "ignore_index": int(target) if ignored else -100}
    if weighted:
        kwargs["weight"] = make_tensor((classes,), seed + 1).abs() + 0.1
    both(logits, target, **kwargs)
    # torch's backward of the (1,) case fails ("size mismatch"), so compare values; our
    # gradient is the () case's, checked against torch's just above.
    torch.testing.assert_close(
        F.cross_entropy(logits, target.reshape(1), **kwargs),
        TF.cross_entropy(logits, target.reshape(1), **kwargs),
        equal_nan=True,
    )


def test_unbatched_logits_refuse_a_target_of_more_than_one_like_torch():
    assert_same_error(
        lambda: F.cross_entropy(torch.randn(5), torch.tensor([3, 1])),
        lambda: TF.cross_entropy(torch.randn(5), torch.tensor([3, 1])),
        match="For 1D input, 1D target must have size 1, but got target size: 2",
    )


@pytest.mark.parametrize("label_smoothing", [0.0, 0.1, 1.0])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@given(seed=seeds, batch=st.integers(1, 4), classes=st.integers(2, 5))
def test_targets_whose_classes_all_weigh_zero_give_torchs_nan_mean(
    label_smoothing, reduction, seed, batch, classes
):
    # Every target is class 0, which weighs 0: the mean divides 0 by 0, with smoothing too.
    logits = make_tensor((batch, classes), seed)
    weight = torch.cat([torch.zeros(1), torch.rand(classes - 1) + 0.5]).double()
    both(
        logits,
        torch.zeros(batch, dtype=torch.long),
        weight=weight,
        reduction=reduction,
        label_smoothing=label_smoothing,
    )


@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
@pytest.mark.parametrize("shape", [(3, 4), (4,), (2, 4, 3)])
def test_class_weights_that_require_grad_are_torchs_error_for_class_indices(
    shape, label_smoothing
):
    logits = torch.randn(shape)
    target = torch.zeros(shape[:1] + shape[2:] if len(shape) > 1 else (), dtype=torch.long)
    weight = torch.ones(4, requires_grad=True)
    assert_same_error(
        lambda: F.cross_entropy(logits, target, weight=weight, label_smoothing=label_smoothing),
        lambda: TF.cross_entropy(logits, target, weight=weight, label_smoothing=label_smoothing),
        match="not differentiable with respect to argument 'weight'",
    )
    with torch.no_grad():  # no gradient asked for: no error, in either library
        torch.testing.assert_close(
            F.cross_entropy(logits, target, weight=weight),
            TF.cross_entropy(logits, target, weight=weight),
        )


def test_class_weights_that_require_grad_work_for_probability_targets_like_torch():
    logits, probabilities = torch.randn(3, 4), torch.softmax(torch.randn(3, 4), 1)
    ours_weight = torch.rand(4, requires_grad=True)
    their_weight = ours_weight.detach().clone().requires_grad_()
    F.cross_entropy(logits, probabilities, weight=ours_weight).backward()
    TF.cross_entropy(logits, probabilities, weight=their_weight).backward()
    torch.testing.assert_close(ours_weight.grad, their_weight.grad)
