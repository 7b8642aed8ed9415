"""How a run reports: --json found before parsing, strict JSON, one-line OS errors."""

import errno
import json
import math

import pytest

from minitorch_lr.cli import build_parser
from minitorch_lr.cli_output import Report, asks_for_json, describe_os_error, json_line


def refuse_constant(token):
    raise ValueError(f"{token} is not strict JSON")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["linreg", "--json"], True),
        (["linreg", "--js"], True),  # argparse takes an unambiguous prefix
        (["linreg", "--json=yes"], True),  # a usage error, which must end in JSON too
        (["linreg"], False),
        (["linreg", "--", "--json"], False),
        (["linreg", "-j"], False),
    ],
)
def test_asks_for_json_sees_json_as_argparse_does(argv, expected):
    assert asks_for_json(argv) is expected


@pytest.mark.parametrize("option", ["--j", "--js", "--jso", "--json"])
def test_every_prefix_it_takes_for_json_is_json_to_argparse(option):
    assert asks_for_json(["linreg", option])
    assert build_parser().parse_args(["linreg", option]).json is True


def test_json_line_writes_non_finite_numbers_as_null_wherever_they_are():
    fields = {"loss": math.nan, "w": [1.5, -math.inf], "nested": {"b": math.inf}, "n": 3}
    line = json_line(fields)
    assert json.loads(line, parse_constant=refuse_constant) == {
        "loss": None,
        "w": [1.5, None],
        "nested": {"b": None},
        "n": 3,
    }
    with pytest.raises(ValueError, match="NaN is not strict JSON"):
        json.loads(json.dumps(fields), parse_constant=refuse_constant)  # what json does alone


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            OSError(errno.ENOSPC, "No space left on device", "out/c.png"),
            "out/c.png: No space left on device; free some space, or choose another place",
        ),
        (
            PermissionError(errno.EACCES, "Permission denied", "data/x.gz"),
            "data/x.gz: Permission denied; check its permissions, or choose another place",
        ),
        (OSError(errno.EIO, "Input/output error"), "Input/output error"),
        (
            PermissionError("cannot write --plot to 'ro/c.png': folder 'ro' is not writable"),
            "cannot write --plot to 'ro/c.png': folder 'ro' is not writable",
        ),
    ],
    ids=["disk-full", "permission", "no-file-name", "a-whole-sentence"],
)
def test_describe_os_error_names_the_file_and_what_to_do_in_one_line(error, expected):
    assert describe_os_error(error) == expected


def test_a_report_prints_lines_then_fails_with_one_line_and_the_json(capsys):
    report = Report("minitorch-lr linreg", as_json=True)
    report.fields.update(epochs=1, loss=math.nan)
    report.say("epoch 1, loss nan")
    assert report.fail(1, "training diverged") == 1
    out, err = capsys.readouterr()
    assert err == "minitorch-lr linreg: training diverged\n"
    assert out.splitlines() == [
        "epoch 1, loss nan",
        '{"epochs": 1, "loss": null, "error": "training diverged", "exit": 1}',
    ]


def test_without_json_a_report_ends_without_a_json_line(capsys):
    assert Report("minitorch-lr linreg", as_json=False).end(0) == 0
    assert capsys.readouterr().out == ""
