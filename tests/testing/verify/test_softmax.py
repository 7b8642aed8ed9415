"""verify's softmax and log-softmax properties on broken versions written here."""

import pytest

from minitorch_lr import scratch
from minitorch_lr.testing.verify.report import FAIL, PASS, SKIP
from tests.testing.verify.helpers import result_of

SOFTMAX, LOG_SOFTMAX = "torch.nn.functional.softmax", "torch.nn.functional.log_softmax"


def by_columns(x, dim):
    return x.softmax(0)


def no_keepdim(x):
    exps = (x - x.max()).exp()
    return exps / exps.sum(1)


def log_of_softmax(x, dim):
    return x.softmax(dim).log()


def test_the_chapters_softmax_passes_rows_fails_large_logits_and_skips_any_dim():
    assert result_of(scratch.softmax, SOFTMAX, "rows").status == PASS
    assert result_of(scratch.softmax, SOFTMAX, "any dim").status == SKIP
    result = result_of(scratch.softmax, SOFTMAX, "large logits")
    assert result.status == FAIL
    assert result.diagnosis.startswith("NaN or inf only for large logits: the max shift")


@pytest.mark.parametrize(
    ("piece", "target", "name", "cause"),
    [
        (by_columns, SOFTMAX, "rows", "normalise along dim 0, not dim 1"),
        (no_keepdim, SOFTMAX, "rows", "lack keepdim=True"),
        (log_of_softmax, LOG_SOFTMAX, "large logits", "where a probability underflows to 0"),
        (lambda x, dim: x.softmax(dim), LOG_SOFTMAX, "rows", "the result is softmax"),
    ],
    ids=["columns", "keepdim", "log-of-softmax", "softmax-for-log"],
)
def test_a_wrong_softmax_is_diagnosed(piece, target, name, cause):
    result = result_of(piece, target, name)
    assert result.status == FAIL
    assert cause in result.diagnosis
