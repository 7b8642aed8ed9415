"""Running a property: SKIP with the reason, INFO, PASS, and for a FAIL the smallest input
Hypothesis finds, diagnosed once; a piece whose result changes from call to call; the
forward-and-backward comparison behind most properties."""

import torch
from hypothesis import strategies as st

from minitorch_lr.testing.verify import properties
from minitorch_lr.testing.verify.properties import (
    Information,
    Property,
    forward_backward_mismatch,
    run_property,
)
from minitorch_lr.testing.verify.report import FAIL, INFO, PASS, SKIP, Mismatch


def below_seven(piece, case):
    """The piece must return its input, for every integer; a mismatch names the input."""
    if piece(case) == case:
        return None
    return Mismatch(str(case), "the value", str(case), str(piece(case)), lambda: "a cap")


PROPERTY = Property("returns its input", below_seven, st.integers(0, 1000))


def test_a_property_that_holds_passes():
    assert run_property(lambda x: x, PROPERTY).status == PASS


def test_a_failure_reports_the_smallest_failing_input_and_its_diagnosis():
    result = run_property(lambda x: min(x, 6), PROPERTY)
    assert (result.status, result.mismatch.example, result.mismatch.piece_gives) == (FAIL, "7", "6")
    assert result.diagnosis == "a cap"


def test_the_diagnosis_runs_once_for_the_reported_input_only():
    calls = []

    def compare(piece, case):
        if case < 3:
            return None
        return Mismatch(str(case), "", "", "", lambda: calls.append(case) or "found")

    run_property(None, Property("p", compare, st.integers(0, 1000)))
    assert calls == [3]


def test_a_property_without_cases_runs_once():
    calls = []
    check = Property("once", lambda piece, case: calls.append(case))
    assert run_property(None, check).status == PASS and calls == [None]


def test_skip_gives_the_reason_and_runs_nothing():
    check = Property("p", lambda piece, case: 1 / 0, st.integers(), lambda piece: "no dim=")
    result = run_property(None, check)
    assert (result.status, result.detail) == (SKIP, "no dim=")


def test_information_is_reported_as_it_is():
    result = run_property("piece", Information("same bits", lambda piece: f"{piece}: yes"))
    assert (result.status, result.detail) == (INFO, "piece: yes")


def test_a_piece_that_fails_once_and_then_not_is_reported_as_changing():
    calls = []

    def compare(piece, case):
        calls.append(case)
        # Fails on its first call only: the search finds it, the rerun does not.
        return Mismatch("", "", "", "") if len(calls) == 1 else None

    result = run_property(None, Property("p", compare, st.integers()))
    assert result.status == FAIL
    assert "changes from call to call" in result.diagnosis


def test_torchs_thread_count_is_set_back_after_a_property():
    threads = torch.get_num_threads()
    run_property(lambda x: x, PROPERTY)
    assert torch.get_num_threads() == threads


X = torch.tensor([[0.5, -1.0]], dtype=torch.float64)


def test_forward_backward_mismatch_is_none_when_both_agree():
    assert forward_backward_mismatch("x", torch.tanh, torch.tanh, [X]) is None


def test_forward_backward_mismatch_names_the_gradient_that_differs():
    class Doubled(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.clone()

        @staticmethod
        def backward(ctx, grad):
            return 2 * grad

    mismatch = forward_backward_mismatch(
        "x", Doubled.apply, lambda x: x.clone(), [X], diagnose=lambda observed: observed.what
    )
    assert mismatch.what == "the gradients of input 0"
    assert mismatch.diagnose() == "the gradients of input 0"


def test_forward_backward_mismatch_of_a_piece_that_raises_shows_torchs_value():
    def raises(x):
        raise RuntimeError("mat1 and mat2 shapes cannot be multiplied\ndetails")

    mismatch = forward_backward_mismatch("x", raises, torch.tanh, [X])
    assert mismatch.what == "your piece raised an error"
    assert mismatch.piece_gives == "raises RuntimeError: mat1 and mat2 shapes cannot be multiplied"
    assert mismatch.torch_gives.endswith("(shape (1, 2), float64)")


def test_an_input_that_no_longer_fails_when_rerun_is_reported_as_changing(monkeypatch):
    # As if Hypothesis had found 5 failing: the rerun for the report passes.
    monkeypatch.setattr(properties, "find", lambda cases, condition, settings: 5)
    result = run_property(lambda x: x, PROPERTY)
    assert (result.status, result.mismatch.example) == (FAIL, "5")
    assert "changes from call to call" in result.diagnosis
