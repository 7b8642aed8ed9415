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
from minitorch_lr.metrics import count_correct, summed_loss
from tests.strategies import make_tensor, seeds

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
