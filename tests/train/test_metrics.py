"""The per-batch metrics: a summed loss whatever the reduction, an exact count of hits.

``summed_loss`` is compared with the sum of torch's per-example losses
(``reduction='none'``) for every reduction of torch's and minitorch_lr's loss modules, and
for loss functions without a ``reduction``. ``count_correct`` is compared with counting
by hand, and must count in int64.
"""

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

import minitorch_lr.nn
from minitorch_lr import scratch
from minitorch_lr.testing.strategies import make_tensor, seeds
from minitorch_lr.train.metrics import (
    Accumulator,
    accuracy,
    count_correct,
    evaluate_accuracy,
    summed_loss,
)
from tests.train.problems import NUM_FEATURES, make_batches, make_model

NUM_CLASSES = 3
REDUCTIONS = ["mean", "sum", "none"]


def classification_batch(seed, num_examples):
    logits = make_tensor((num_examples, NUM_CLASSES), seed)
    generator = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, NUM_CLASSES, (num_examples,), generator=generator)
    return logits, labels


@pytest.mark.parametrize("nn", [torch.nn, minitorch_lr.nn], ids=["torch", "minitorch_lr"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(seed=seeds, num_examples=st.integers(1, 12))
def test_summed_loss_is_the_sum_of_per_example_losses_for_every_reduction(
    nn, reduction, seed, num_examples
):
    logits, labels = classification_batch(seed, num_examples)
    loss = nn.CrossEntropyLoss(reduction=reduction)
    summed = summed_loss(loss(logits, labels), loss, num_examples)
    expected = F.cross_entropy(logits, labels, reduction="none").sum()
    assert summed.shape == ()
    torch.testing.assert_close(summed, expected)


@given(seed=seeds, num_examples=st.integers(1, 12))
def test_summed_loss_takes_functions_per_example_and_a_scalar_without_reduction_as_a_mean(
    seed, num_examples
):
    logits, labels = classification_batch(seed, num_examples)
    expected = F.cross_entropy(logits, labels, reduction="none").sum()
    probabilities = scratch.softmax(logits)
    per_example = scratch.cross_entropy(probabilities, labels)
    torch.testing.assert_close(
        summed_loss(per_example, scratch.cross_entropy, num_examples), expected
    )

    def mean_loss(y_hat, y):  # a function with no reduction attribute
        return F.cross_entropy(y_hat, y)

    scalar = mean_loss(logits, labels)
    torch.testing.assert_close(summed_loss(scalar, mean_loss, num_examples), expected)


@given(seed=seeds, num_examples=st.integers(1, 12))
def test_count_correct_counts_argmax_hits_as_int64(seed, num_examples):
    logits, labels = classification_batch(seed, num_examples)
    count = count_correct(logits, labels)
    assert count.dtype == torch.int64 and count.shape == ()
    assert int(count) == sum(int(row.argmax()) == int(y) for row, y in zip(logits, labels))
    assert int(count_correct(logits.argmax(dim=1), labels)) == int(count)


@given(seed=seeds, num_examples=st.integers(1, 12))
def test_accuracy_counts_argmax_matches_as_a_float(seed, num_examples):
    logits = make_tensor((num_examples, NUM_CLASSES), seed)
    y = torch.randint(
        0, NUM_CLASSES, (num_examples,), generator=torch.Generator().manual_seed(seed)
    )
    count = accuracy(logits, y)
    assert type(count) is float
    assert count == sum(int(row.argmax()) == int(label) for row, label in zip(logits, y))
    assert accuracy(logits.argmax(dim=1), y) == count  # predicted labels work as well


def test_accumulator_sums_numbers_and_tensors_and_reads_floats():
    metric = Accumulator(2)
    metric.add(torch.tensor(1.5), 2)
    metric.add(2.0, torch.tensor(3))
    assert (metric[0], metric[1]) == (3.5, 5.0)
    assert type(metric[0]) is float
    metric.reset()
    assert (metric[0], metric[1]) == (0.0, 0.0)
    with pytest.raises(ValueError, match="expected 2 values to add, got 3"):
        metric.add(1, 2, 3)


def test_accumulator_counts_exactly_past_the_float32_limit():
    """2**24 + 1 is the first integer float32 cannot hold: counts must stay integers."""
    metric = Accumulator(2)
    metric.add(torch.tensor(2**24), 2**24)
    metric.add(torch.tensor(1), 1)
    assert (metric[0], metric[1]) == (2**24 + 1, 2**24 + 1)
    assert metric.data[0].dtype == torch.int64


def test_evaluate_accuracy_matches_counting_by_hand():
    batches = make_batches("classify", 3, 23, 5)
    model = make_model("classify", 3)
    correct = sum(accuracy(model(X), y) for X, y in batches)
    assert evaluate_accuracy(model, batches) == correct / 23


def test_evaluate_accuracy_runs_in_eval_mode_without_autograd_and_restores_each_mode():
    seen = []

    class Probe(torch.nn.Module):
        def forward(self, X):
            seen.append((self.training, torch.is_grad_enabled()))
            return X

    frozen = torch.nn.Linear(NUM_FEATURES, NUM_CLASSES).double().eval()
    model = torch.nn.Sequential(Probe(), frozen).train()
    frozen.eval()  # a submodule left in eval mode on purpose must stay there
    evaluate_accuracy(model, make_batches("classify", 0, 6, 3))
    assert seen == [(False, False), (False, False)]
    assert model.training and model[0].training and not frozen.training


def test_evaluate_accuracy_restores_the_modes_when_the_model_raises():
    class Failing(torch.nn.Module):
        def forward(self, X):
            raise RuntimeError("boom")

    model = torch.nn.Sequential(Failing()).train()
    with pytest.raises(RuntimeError, match="boom"):
        evaluate_accuracy(model, make_batches("classify", 0, 4, 2))
    assert model.training and model[0].training


def test_evaluate_accuracy_takes_a_plain_function():
    batches = make_batches("classify", 1, 9, 4)
    model = make_model("classify", 1)
    assert evaluate_accuracy(lambda X: model(X), batches) == evaluate_accuracy(model, batches)


@given(seed=seeds, num_examples=st.integers(1, 12))
def test_accuracy_takes_the_argmax_of_two_class_scores(seed, num_examples):
    # (N, 2) scores are scores, not labels: the count is of argmax hits.
    scores = make_tensor((num_examples, 2), seed)
    y = torch.randint(0, 2, (num_examples,), generator=torch.Generator().manual_seed(seed))
    assert accuracy(scores, y) == float((scores.argmax(dim=1) == y).sum())
