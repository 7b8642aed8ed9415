"""verify's cross-entropy properties on broken versions written here: no max shift, the log
of softmax, probabilities for logits, and options taken but applied wrongly."""

import pytest
import torch

from minitorch_lr import scratch
from minitorch_lr.testing.verify.report import FAIL, PASS
from tests.testing.verify.helpers import result_of

FUNCTION = "torch.nn.functional.cross_entropy"


def no_shift(logits, target):
    log_probs = logits - logits.exp().sum(1, keepdim=True).log()
    return -log_probs.gather(1, target[:, None]).mean()


def log_of_softmax(logits, target):
    return -logits.softmax(1).log().gather(1, target[:, None]).mean()


def per_example(logits, target):
    return torch.nn.functional.cross_entropy(logits, target, reduction="none")


def weighted_by_n(logits, target, weight=None):
    losses = torch.nn.functional.cross_entropy(logits, target, weight=weight, reduction="none")
    return losses.sum() / len(target)


def mean_over_all(logits, target, ignore_index=-100):
    losses = torch.nn.functional.cross_entropy(
        logits, target, ignore_index=ignore_index, reduction="sum"
    )
    return losses / len(target)


class NoSmoothing:
    def __init__(self, label_smoothing=0.0):
        pass

    def __call__(self, logits, target):
        return torch.nn.functional.cross_entropy(logits, target)


@pytest.mark.parametrize(
    ("piece", "target", "name", "cause"),
    [
        (no_shift, FUNCTION, "large logits", "NaN or inf only for large logits: the max shift"),
        (log_of_softmax, FUNCTION, "large logits", "where a probability underflows to 0"),
        (scratch.cross_entropy, FUNCTION, "class-index", "the input is taken for probabilities"),
        (per_example, FUNCTION, "class-index", "torch's with reduction='none'"),
        (weighted_by_n, FUNCTION, "weight=", "the weighted losses are divided by N"),
        (mean_over_all, FUNCTION, "ignore_index=", "the mean divides by all N targets"),
        (NoSmoothing, "torch.nn.CrossEntropyLoss", "label_smoothing=", "not applied"),
    ],
    ids=["no-shift", "log-softmax", "scratch", "per-example", "weight-n", "ignored", "smoothing"],
)
def test_a_wrong_cross_entropy_is_diagnosed(piece, target, name, cause):
    result = result_of(piece, target, name)
    assert result.status == FAIL
    assert cause in result.diagnosis


def test_a_stable_cross_entropy_passes_ordinary_and_large_logits():
    def stable(logits, target):
        return -logits.log_softmax(1).gather(1, target[:, None]).mean()

    assert result_of(stable, FUNCTION, "class-index").status == PASS
    assert result_of(stable, FUNCTION, "large logits").status == PASS
    assert result_of(no_shift, FUNCTION, "class-index").status == PASS


def shifted_by_the_batch_max(logits, target):
    top = logits.max()
    log_sum_exp = (logits - top).exp().sum(1).log() + top
    return (log_sum_exp - logits.gather(1, target[:, None]).squeeze(1)).mean()


def shifted_without_keepdim(logits, target):
    shifted = logits - logits.max(dim=1).values
    log_sum_exp = shifted.exp().sum(1).log()
    return (log_sum_exp - shifted.gather(1, target[:, None]).squeeze(1)).mean()


def in_float32(logits, target):
    return torch.nn.functional.cross_entropy(logits.float(), target)


@pytest.mark.parametrize(
    ("piece", "name", "cause"),
    [
        (shifted_by_the_batch_max, "large logits", "shifted by one maximum for the whole batch"),
        (shifted_without_keepdim, "class-index", "subtracted without keepdim=True"),
        (in_float32, "class-index", "the outputs are float32 where torch's are float64"),
    ],
    ids=["batch-max", "no-keepdim", "float32"],
)
def test_a_wrong_shift_or_dtype_is_named(piece, name, cause):
    result = result_of(piece, FUNCTION, name)
    assert result.status == FAIL
    assert cause in result.diagnosis


def test_ignore_index_divided_by_the_targets_counted_passes():
    # torch's mean over the targets not ignored; every target ignored (0 / 0) is a case
    # the property leaves out, so that this right piece is not failed on it.
    def counted_mean(logits, target, ignore_index=-100):
        kept = target != ignore_index
        safe = torch.where(kept, target, torch.zeros_like(target))
        losses = torch.logsumexp(logits, 1) - logits.gather(1, safe[:, None]).squeeze(1)
        return (losses * kept).sum() / kept.sum()

    assert result_of(counted_mean, FUNCTION, "ignore_index=").status == PASS
