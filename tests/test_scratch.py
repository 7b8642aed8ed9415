"""The chapter's from-scratch functions, checked against torch.nn / torch.optim or by hand.

The naive softmax and cross-entropy are compared with torch on moderate logits (where the
naive forms are right), and shown to break on large ones, where minitorch_lr.nn does not.
"""

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr import nn as mt_nn
from minitorch_lr import scratch
from minitorch_lr.testing.strategies import dtypes, make_tensor, seeds
from tests.helpers import DEVICES


def generator(seed):
    return torch.Generator().manual_seed(seed)


# ---------------------------------------------------------------- synthetic_data

NUM_STAT_EXAMPLES = 4000


@given(
    seed=seeds,
    num_features=st.integers(1, 4),
    b=st.floats(-5, 5),
    noise=st.sampled_from([0.01, 0.1, 1.0]),
)
def test_synthetic_data_statistics_match_the_model(seed, num_features, b, noise):
    w = make_tensor((num_features,), seed)
    X, y = scratch.synthetic_data(w, b, NUM_STAT_EXAMPLES, noise, generator=generator(seed))
    assert X.shape == (NUM_STAT_EXAMPLES, num_features) and y.shape == (NUM_STAT_EXAMPLES, 1)
    assert X.dtype == y.dtype == torch.float64
    residual = y[:, 0] - (X @ w + b)
    # Every check allows 5 standard errors of its estimate, so a correct implementation
    # fails one with probability about 6e-7, while a wrong noise level (noise**2 instead of
    # noise, or a missing noise term) or a shifted mean misses by far more than 5 SE.
    n = NUM_STAT_EXAMPLES
    assert abs(X.mean()) < 5 / math.sqrt(X.numel())  # SE of the mean of N(0, 1) draws
    assert abs(X.var() - 1) < 5 * math.sqrt(2 / (X.numel() - 1))  # SE of a variance
    assert abs(residual.mean()) < 5 * noise / math.sqrt(n)
    assert abs(residual.std() / noise - 1) < 5 / math.sqrt(2 * (n - 1))  # SE of a std


def test_synthetic_data_without_noise_is_exactly_linear():
    w = torch.tensor([2.0, -3.4], dtype=torch.float64)
    X, y = scratch.synthetic_data(w, 4.2, 50, noise=0.0, generator=generator(0))
    torch.testing.assert_close(y, (X @ w + 4.2).reshape(-1, 1))


@given(seed=seeds, dtype=dtypes)
def test_synthetic_data_is_reproducible_with_a_generator(seed, dtype):
    w = torch.tensor([2.0, -3.4], dtype=dtype)
    first = scratch.synthetic_data(w, 4.2, 20, generator=generator(seed))
    second = scratch.synthetic_data(w, 4.2, 20, generator=generator(seed))
    other = scratch.synthetic_data(w, 4.2, 20, generator=generator(seed + 1))
    assert first[0].dtype == dtype
    torch.testing.assert_close(first, second, rtol=0, atol=0)
    assert not torch.equal(first[0], other[0])


def test_synthetic_data_rejects_negative_noise_before_drawing():
    draws = generator(0)
    state = draws.get_state()
    with pytest.raises(RuntimeError, match="-0.5"):
        scratch.synthetic_data(torch.ones(2), 0.0, 10, noise=-0.5, generator=draws)
    assert torch.equal(draws.get_state(), state)


# ---------------------------------------------------------------- data_iter


@given(num_examples=st.integers(0, 40), batch_size=st.integers(1, 15), seed=seeds)
def test_data_iter_yields_every_example_once_with_a_short_last_batch(
    num_examples, batch_size, seed
):
    labels = torch.arange(num_examples)
    features = torch.stack([labels * 10, labels * 10 + 1], dim=1).double()
    batches = list(scratch.data_iter(batch_size, features, labels, generator=generator(seed)))
    sizes = [len(batch_labels) for _, batch_labels in batches]
    full, rest = divmod(num_examples, batch_size)
    assert sizes == [batch_size] * full + ([rest] if rest else [])
    for batch_features, batch_labels in batches:  # rows stay paired with their labels
        torch.testing.assert_close(batch_features[:, 0], batch_labels.double() * 10)
    seen = torch.cat([batch_labels for _, batch_labels in batches]) if batches else labels
    assert sorted(seen.tolist()) == list(range(num_examples))


@given(seed=seeds)
def test_data_iter_order_is_reproducible_with_a_generator(seed):
    features = torch.arange(30.0).reshape(30, 1)

    def order(draws):
        return [y.tolist() for _, y in scratch.data_iter(7, features, torch.arange(30), draws)]

    assert order(generator(seed)) == order(generator(seed))


def test_data_iter_shuffles():
    labels = torch.arange(100)
    order = torch.cat([y for _, y in scratch.data_iter(10, labels, labels, generator(0))])
    # The chance that a uniform shuffle of 100 items is the identity is 1/100!.
    assert not torch.equal(order, labels)


@pytest.mark.parametrize("batch_size", [0, -1, 2.0])
def test_data_iter_rejects_a_bad_batch_size_when_called(batch_size):
    with pytest.raises(ValueError, match=repr(batch_size)):
        scratch.data_iter(batch_size, torch.zeros(4, 2), torch.zeros(4))


def test_data_iter_rejects_features_and_labels_of_different_lengths():
    with pytest.raises(ValueError, match="5 and 4"):
        scratch.data_iter(2, torch.zeros(5, 2), torch.zeros(4))


# ---------------------------------------------------------------- linreg, squared_loss


@given(seed=seeds, num_examples=st.integers(0, 6), num_features=st.integers(1, 5))
def test_linreg_matches_torch_linear_values_and_gradients(seed, num_examples, num_features):
    X = make_tensor((num_examples, num_features), seed)
    w = make_tensor((num_features, 1), seed + 1).requires_grad_()
    b = make_tensor((1,), seed + 2).requires_grad_()
    w_ref, b_ref = w.detach().clone().requires_grad_(), b.detach().clone().requires_grad_()
    ours = scratch.linreg(X, w, b)
    # nn.Linear stores the weight as (out, in): the transpose of the chapter's (D, 1) w.
    theirs = F.linear(X, w_ref.T, b_ref)
    torch.testing.assert_close(ours, theirs)
    ours.sum().backward()
    theirs.sum().backward()
    torch.testing.assert_close((w.grad, b.grad), (w_ref.grad, b_ref.grad))


@given(seed=seeds, num_examples=st.integers(0, 8), dtype=dtypes)
def test_squared_loss_is_half_the_elementwise_mse(seed, num_examples, dtype):
    y_hat = make_tensor((num_examples, 1), seed, dtype).requires_grad_()
    y = make_tensor((num_examples,), seed + 1, dtype)  # a label vector, as data_iter gives
    y_hat_ref = y_hat.detach().clone().requires_grad_()
    ours = scratch.squared_loss(y_hat, y)
    theirs = F.mse_loss(y_hat_ref, y.reshape(-1, 1), reduction="none") / 2
    assert ours.shape == (num_examples, 1)
    torch.testing.assert_close(ours, theirs)
    ours.sum().backward()
    theirs.sum().backward()
    torch.testing.assert_close(y_hat.grad, y_hat_ref.grad)


def test_squared_loss_by_hand():
    loss = scratch.squared_loss(torch.tensor([[1.0], [4.0]]), torch.tensor([3.0, 1.0]))
    torch.testing.assert_close(loss, torch.tensor([[2.0], [4.5]]))  # (1-3)^2/2, (4-1)^2/2


# ---------------------------------------------------------------- sgd


@given(seed=seeds, lr=st.floats(1e-3, 1.0), batch_size=st.integers(1, 300))
def test_sgd_equals_torch_sgd_on_the_mean_gradient(seed, lr, batch_size):
    shapes = [(3, 1), (1,)]
    params = [make_tensor(shape, seed + i).requires_grad_() for i, shape in enumerate(shapes)]
    grads = [make_tensor(shape, seed + 10 + i) for i, shape in enumerate(shapes)]
    reference = [p.detach().clone().requires_grad_() for p in params]
    for param, ref, grad in zip(params, reference, grads):
        param.grad = grad.clone()
        ref.grad = grad / batch_size  # the gradient of a mean-reduced loss
    scratch.sgd(params, lr, batch_size)
    torch.optim.SGD(reference, lr=lr).step()
    torch.testing.assert_close(params, reference)
    for param in params:
        assert torch.equal(param.grad, torch.zeros_like(param))


def test_sgd_by_hand():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    w.grad = torch.tensor([4.0, -8.0])
    scratch.sgd([w], lr=0.5, batch_size=4)
    torch.testing.assert_close(w.detach(), torch.tensor([0.5, 3.0]))  # w - 0.5 * g / 4


def test_sgd_without_a_gradient_raises_and_changes_nothing():
    w = torch.ones(2, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    w.grad = torch.ones(2)
    with pytest.raises(RuntimeError, match="parameter 1"):
        scratch.sgd([w, b], lr=0.1, batch_size=1)
    assert torch.equal(w.detach(), torch.ones(2)) and torch.equal(w.grad, torch.ones(2))


def test_sgd_rejects_a_batch_size_below_one():
    w = torch.ones(2, requires_grad=True)
    w.grad = torch.ones(2)
    with pytest.raises(ValueError, match="0"):
        scratch.sgd([w], lr=0.1, batch_size=0)


# ---------------------------------------------------------------- softmax, cross_entropy

moderate_scales = (0.1, 1.0, 10.0)


@given(
    seed=seeds,
    num_examples=st.integers(1, 6),
    num_classes=st.integers(1, 6),
    dtype=dtypes,
    scale=st.sampled_from(moderate_scales),
)
def test_softmax_matches_torch_on_moderate_logits(seed, num_examples, num_classes, dtype, scale):
    logits = make_tensor((num_examples, num_classes), seed, dtype, scale).requires_grad_()
    logits_ref = logits.detach().clone().requires_grad_()
    ours = scratch.softmax(logits)
    theirs = torch.softmax(logits_ref, dim=1)
    torch.testing.assert_close(ours, theirs)
    weights = make_tensor(ours.shape, seed + 1, dtype)  # a gradient that is not all ones
    (ours * weights).sum().backward()
    (theirs * weights).sum().backward()
    torch.testing.assert_close(logits.grad, logits_ref.grad)


@given(
    seed=seeds,
    num_examples=st.integers(1, 6),
    num_classes=st.integers(1, 6),
    dtype=dtypes,
    scale=st.sampled_from(moderate_scales),
    data=st.data(),
)
def test_cross_entropy_of_softmax_matches_torch(
    seed, num_examples, num_classes, dtype, scale, data
):
    logits = make_tensor((num_examples, num_classes), seed, dtype, scale).requires_grad_()
    logits_ref = logits.detach().clone().requires_grad_()
    labels = torch.tensor(
        data.draw(
            st.lists(st.integers(0, num_classes - 1), min_size=num_examples, max_size=num_examples)
        )
    )
    ours = scratch.cross_entropy(scratch.softmax(logits), labels)
    theirs = F.cross_entropy(logits_ref, labels, reduction="none")
    assert ours.shape == (num_examples,)
    torch.testing.assert_close(ours, theirs)
    ours.sum().backward()
    theirs.sum().backward()
    torch.testing.assert_close(logits.grad, logits_ref.grad)


def test_cross_entropy_picks_the_true_class_probability():
    probs = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    loss = scratch.cross_entropy(probs, torch.tensor([0, 2]))
    torch.testing.assert_close(loss, -torch.log(torch.tensor([0.1, 0.5])))


@given(
    seed=seeds,
    num_examples=st.integers(1, 5),
    num_classes=st.integers(2, 6),
    data=st.data(),
)
def test_large_logits_break_the_naive_forms_but_not_minitorch_lr_nn(
    seed, num_examples, num_classes, data
):
    """float32 logits of magnitude 1e4, the largest exactly +1e4, far past exp's overflow
    at about 88.7: the scratch softmax gives nan there, while the stable
    minitorch_lr.nn.functional.softmax and nn.CrossEntropyLoss stay finite and equal torch.
    """
    draws = make_tensor((num_examples, num_classes), seed, torch.float32)
    largest = draws.flatten()[draws.abs().argmax()]
    logits = draws * (1e4 / largest)  # divides by the signed value, so its entry is +1e4
    labels = torch.tensor(
        data.draw(
            st.lists(st.integers(0, num_classes - 1), min_size=num_examples, max_size=num_examples)
        )
    )
    naive = scratch.softmax(logits)
    assert torch.isnan(naive).any()
    assert not torch.isfinite(scratch.cross_entropy(naive, labels)).all()

    probs = mt_nn.functional.softmax(logits, dim=1)
    assert torch.isfinite(probs).all()
    torch.testing.assert_close(probs, torch.softmax(logits, dim=1))
    for reduction in ("none", "mean"):
        ours_logits = logits.clone().requires_grad_()
        theirs_logits = logits.clone().requires_grad_()
        ours = mt_nn.CrossEntropyLoss(reduction=reduction)(ours_logits, labels)
        theirs = torch.nn.CrossEntropyLoss(reduction=reduction)(theirs_logits, labels)
        assert torch.isfinite(ours).all()
        torch.testing.assert_close(ours, theirs)
        ours.sum().backward()
        theirs.sum().backward()
        assert torch.isfinite(ours_logits.grad).all()
        torch.testing.assert_close(ours_logits.grad, theirs_logits.grad)


def test_naive_cross_entropy_is_infinite_where_a_probability_underflows():
    # exp(-2e4) rounds to 0 in float32 even after the row max is subtracted, so the
    # probability is 0 and its log -inf; the fused losses never form that probability.
    logits = torch.tensor([[1e4, -1e4]], dtype=torch.float32)
    labels = torch.tensor([1])
    probs = torch.softmax(logits, dim=1)
    assert torch.isinf(scratch.cross_entropy(probs, labels)).all()
    # The exact loss is logsumexp(o) - o_1 = 1e4 + log(1 + exp(-2e4)) + 1e4 = 2e4.
    torch.testing.assert_close(F.cross_entropy(logits, labels), torch.tensor(2e4))
    torch.testing.assert_close(mt_nn.CrossEntropyLoss()(logits, labels), torch.tensor(2e4))


# ---------------------------------------------------------------- the chapter's run


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_linear_regression_from_scratch_recovers_w_and_b(seed, device):
    """The chapter's recipe: 1000 examples, batch 10, lr 0.03, 3 epochs, float32.

    Least squares on 1000 examples with noise 0.01 pins w and b to about
    0.01 / sqrt(1000) = 3e-4, and 300 SGD steps at lr 0.03 shrink the initial error
    (about 5) by (1 - 0.03)^300 = 1e-4; 0.01 leaves a wide margin over both yet fails
    for any wrong gradient, step or batching.
    """
    draws = torch.Generator(device).manual_seed(seed)
    true_w, true_b = torch.tensor([2.0, -3.4], device=device), 4.2
    features, labels = scratch.synthetic_data(true_w, true_b, 1000, generator=draws)
    assert features.device == labels.device == true_w.device
    w = torch.normal(0.0, 0.01, (2, 1), generator=draws, device=device).requires_grad_()
    b = torch.zeros(1, device=device, requires_grad=True)
    batch_size, lr = 10, 0.03
    for _ in range(3):
        for X, y in scratch.data_iter(batch_size, features, labels, generator(seed)):
            loss = scratch.squared_loss(scratch.linreg(X, w, b), y)
            loss.sum().backward()
            scratch.sgd([w, b], lr, batch_size)
    assert (w.detach().reshape(-1) - true_w).abs().max() < 0.01
    assert abs(b.item() - true_b) < 0.01
