"""The loss strategies draw valid inputs: class indices are classes or the ignore index,
probability targets are distributions over the classes."""

import torch
from hypothesis import given

from minitorch_lr.testing.loss_strategies import (
    class_index_batches,
    class_index_cases,
    probability_target_cases,
)


@given(case=class_index_cases())
def test_class_index_targets_are_classes_or_the_ignore_index(case):
    logits, target, kwargs = case
    classes = logits.shape[0 if logits.dim() == 1 else 1]
    real = target != kwargs["ignore_index"]
    assert ((target[real] >= 0) & (target[real] < classes)).all()
    assert target.dtype == torch.int64


@given(case=probability_target_cases())
def test_probability_targets_are_distributions_over_the_classes(case):
    logits, target, _ = case
    class_dim = 0 if logits.dim() == 1 else 1
    assert target.shape == logits.shape and (target >= 0).all()
    torch.testing.assert_close(
        target.sum(class_dim), torch.ones_like(target.sum(class_dim)), atol=1e-12, rtol=0
    )


@given(case=class_index_batches())
def test_class_index_batches_are_rows_of_logits_and_one_class_per_row(case):
    logits, target = case
    batch, classes = logits.shape
    assert batch >= 1 and logits.dtype == torch.float64
    assert target.shape == (batch,) and target.dtype == torch.int64
    assert ((target >= 0) & (target < classes)).all()
