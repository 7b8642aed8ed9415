"""verify() and check_file(): every property of the target, in order, on the piece; the
target is checked before a file is loaded."""

import re

import pytest
import torch

from minitorch_lr import nn
from minitorch_lr.testing.verify import VerifyUsageError, check_file, run_properties, runner, verify
from minitorch_lr.testing.verify.properties import run_property
from minitorch_lr.testing.verify.report import PASS, SKIP
from minitorch_lr.testing.verify.targets import properties_for


def test_verify_reports_every_property_of_the_target_in_order():
    report = verify(nn.Flatten, "torch.nn.Flatten")
    assert (report.piece, report.target) == ("Flatten", "torch.nn.Flatten")
    assert [result.name for result in report.results] == [
        check.name for check in properties_for("torch.nn.Flatten")
    ]
    assert report.ok and {result.status for result in report.results} == {PASS}


def test_an_unsupported_target_is_refused_before_anything_runs():
    with pytest.raises(VerifyUsageError, match="unsupported target 'torch.nn.ReLU'"):
        run_properties(nn.Flatten, "torch.nn.ReLU")


def test_results_come_one_at_a_time(monkeypatch):
    ran = []

    def recording(piece, check, max_examples):
        ran.append(check.name)
        return run_property(piece, check, max_examples)

    monkeypatch.setattr(runner, "run_property", recording)
    results = run_properties(torch.nn.functional.mse_loss, "torch.nn.functional.mse_loss")
    assert ran == []
    first = next(results)
    assert first.status == PASS and ran == [first.name]


def test_check_file_checks_the_target_before_running_the_learners_file(tmp_path):
    marker = tmp_path / "imported"
    path = tmp_path / "pieces.py"
    path.write_text(f"open({str(marker)!r}, 'w').close()\n\ndef f(x):\n    return x\n")
    with pytest.raises(VerifyUsageError, match="unsupported target"):
        check_file(f"{path}:f", "torch.nn.Conv2d")
    assert not marker.exists()
    results = list(check_file(f"{path}:f", "torch.nn.functional.softmax", max_examples=5))
    assert marker.exists()
    assert [result.status for result in results][1] == SKIP  # f takes no dim


def test_verify_leaves_the_callers_random_state_as_it_was():
    torch.manual_seed(1)
    expected = torch.rand(3)
    torch.manual_seed(1)
    verify(nn.Linear, "torch.nn.Linear", max_examples=5)
    assert torch.equal(torch.rand(3), expected)


@pytest.mark.parametrize(
    ("piece", "target", "message"),
    [
        (
            nn.functional.cross_entropy,
            "torch.nn.CrossEntropyLoss",
            "is not a class: give the class itself, not an object of it; a function is "
            "checked against torch.nn.functional.cross_entropy",
        ),
        (
            nn.CrossEntropyLoss,
            "torch.nn.functional.cross_entropy",
            "is a class: give a function, or an object of the class if calling it computes "
            "the result; a class is checked against torch.nn.CrossEntropyLoss",
        ),
        (nn.Linear(2, 3), "torch.nn.Linear", "is not a class: give the class itself"),
        (nn.Flatten, "torch.nn.functional.softmax", "is a class: give a function, or an object"),
        (0.1, "torch.nn.functional.softmax", "cannot be called"),
    ],
    ids=[
        "function-for-class",
        "class-for-function",
        "object-for-class",
        "class-without-a-function-twin",
        "not-callable",
    ],
)
def test_a_piece_of_the_wrong_kind_is_refused_before_any_property_runs(piece, target, message):
    with pytest.raises(VerifyUsageError, match=re.escape(message)):
        verify(piece, target)
