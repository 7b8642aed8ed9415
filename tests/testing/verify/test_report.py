"""Results and reports: the lines the command prints, the counts, the exit code, and how
values are described."""

import torch

from minitorch_lr.testing.verify.report import (
    FAIL,
    INFO,
    PASS,
    SKIP,
    Mismatch,
    Report,
    Result,
    describe,
)

MISMATCH = Mismatch("Linear(1, 2)", "the outputs", "[1, 2]", "raises RuntimeError: bad", None)


def test_pass_skip_and_info_are_one_line_each():
    assert Result(PASS, "forward").lines() == ["PASS  forward"]
    assert Result(SKIP, "bias=False", "Linear takes no bias= argument").lines() == [
        "SKIP  bias=False (Linear takes no bias= argument)"
    ]
    assert Result(INFO, "same bits", "no").lines() == ["INFO  same bits: no"]


def test_a_failure_shows_input_both_values_and_cause_or_cause_unknown():
    lines = Result(FAIL, "forward", mismatch=MISMATCH, diagnosis="a missing transpose").lines()
    assert lines == [
        "FAIL  forward",
        "      smallest input: Linear(1, 2)",
        "      what differs:   the outputs",
        "      torch gives:    [1, 2]",
        "      yours gives:    raises RuntimeError: bad",
        "      likely cause:   a missing transpose",
    ]
    assert Result(FAIL, "forward", mismatch=MISMATCH).lines()[-1].endswith("cause unknown")


def test_a_value_of_several_lines_stays_in_its_column():
    mismatch = Mismatch("x", "y", "line one\nline two", "z")
    lines = Result(FAIL, "p", mismatch=mismatch).lines()
    assert lines[3:5] == ["      torch gives:    line one", "                      line two"]


def test_the_report_counts_and_fails_only_on_a_failure():
    report = Report("Linear", "torch.nn.Linear", [Result(PASS, "a"), Result(SKIP, "b", "why")])
    report.results.append(Result(INFO, "c", "fact"))
    assert (report.ok, report.exit_code) == (True, 0)
    assert report.summary() == "1 passed, 0 failed, 1 skipped"
    report.results.append(Result(FAIL, "d", mismatch=MISMATCH))
    assert (report.ok, report.exit_code) == (False, 1)
    text = str(report).splitlines()
    assert text[0] == "Linear against torch.nn.Linear"
    assert text[-1] == "1 passed, 1 failed, 1 skipped"


def test_describe_gives_values_shape_and_dtype():
    assert describe(torch.tensor([[1.0, 2.5]])) == "[[1, 2.5]] (shape (1, 2), float32)"
    assert describe(torch.tensor(1 / 3, dtype=torch.float64)) == "0.333333 (shape (), float64)"
    assert describe(torch.tensor([0, 3])) == "[0, 3] (shape (2,), int64)"
    long = describe(torch.arange(30.0))
    assert long == "[0, 1, 2, 3, 4, 5, ...] (shape (30,), float32)"
    assert describe(ValueError("bad lr\nmore")) == "raises ValueError: bad lr"
    assert describe(ValueError()) == "raises ValueError"
    assert describe("as it is") == "as it is"
