"""``minitorch-lr verify`` run as a learner runs it: a subprocess, on the learner files in
``learner_pieces/``. Correct pieces pass (exit 0); each broken one fails (exit 1) naming
the property that breaks and the likely cause, or "cause unknown"; usage errors exit 2.

Each run starts in a folder holding the learner files, which it must leave as it was.
Each usage error is also checked in-process through ``main(argv)``, which skips the
second or two a subprocess spends importing torch.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from minitorch_lr.cli import main

PIECES = Path(__file__).resolve().parent / "learner_pieces"


def verify(tmp_path, *arguments):
    """Run the command in a folder holding a copy of the learner files, as a learner runs
    it beside their own: (exit code, stdout lines, stderr)."""
    work = tmp_path / "work"
    shutil.copytree(PIECES, work)
    before = sorted(work.rglob("*"))
    # The per-user cache, where Hypothesis keeps what it learns, goes to tmp_path too.
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("HYPOTHESIS_STORAGE_DIRECTORY", None)
    # Python writes __pycache__ by default, as it would on a learner's machine.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run(
        [sys.executable, "-m", "minitorch_lr", "verify", *arguments],
        capture_output=True,
        text=True,
        cwd=work,
        env=env,
        timeout=300,
        check=False,
    )
    # Nothing written beside the learner's files: no .hypothesis, no __pycache__.
    assert sorted(work.rglob("*")) == before
    return result.returncode, result.stdout.splitlines(), result.stderr


def failure_block(lines, property_name):
    """The FAIL line of the property whose name starts with ``property_name``, and the
    indented lines under it, as a dict from label to text."""
    start = next(
        index for index, line in enumerate(lines) if line.startswith(f"FAIL  {property_name}")
    )
    block = {}
    for line in lines[start + 1 :]:
        if not line.startswith(" "):
            break
        label, _, text = line.strip().partition(":")
        block[label] = text.strip()
    return block


@pytest.mark.parametrize(
    ("piece", "against"),
    [
        ("linear_correct.py:Linear", "torch.nn.Linear"),
        ("cross_entropy_correct.py:cross_entropy", "torch.nn.functional.cross_entropy"),
    ],
)
def test_a_correct_piece_passes_with_exit_code_0(tmp_path, piece, against):
    code, lines, err = verify(tmp_path, piece, "--against", against)
    assert code == 0, "\n".join(lines) + err
    assert lines[0] == f"{piece} against {against}"
    assert any(line.startswith("PASS  ") for line in lines)
    assert not any(line.startswith("FAIL") for line in lines)
    assert lines[-1].split(", ")[1] == "0 failed"


@pytest.mark.parametrize(
    ("piece", "against", "property_name", "cause", "failures"),
    [
        (
            "linear_no_transpose.py:Linear",
            "torch.nn.Linear",
            "forward and backward equal torch's",
            "with the weight transposed: a missing transpose",
            1,
        ),
        (
            "linear_wrong_init.py:Linear",
            "torch.nn.Linear",
            "initial weight and bias drawn from U(-1/sqrt(in_features)",
            "the bound is sqrt(6 / in_features): kaiming_uniform_ with its default a=0",
            1,
        ),
        (
            "cross_entropy_no_max_shift.py:cross_entropy",
            "torch.nn.functional.cross_entropy",
            "large logits",
            "NaN or inf only for large logits: the max shift is missing",
            1,
        ),
        (
            "sgd_no_weight_decay.py:SGD",
            "torch.optim.SGD",
            "weight_decay=",
            "with weight_decay=0.0: the weight decay term is missing",
            2,
        ),
        (
            "linear_squared_output.py:Linear",
            "torch.nn.Linear",
            "forward and backward equal torch's",
            "cause unknown",
            1,
        ),
    ],
    ids=["no-transpose", "wrong-init-bound", "no-max-shift", "no-weight-decay", "unknown"],
)
def test_a_broken_piece_fails_with_exit_code_1_naming_property_and_cause(
    tmp_path, piece, against, property_name, cause, failures
):
    code, lines, err = verify(tmp_path, piece, "--against", against)
    assert code == 1, "\n".join(lines) + err
    block = failure_block(lines, property_name)
    assert set(block) == {
        "smallest input",
        "what differs",
        "torch gives",
        "yours gives",
        "likely cause",
    }
    assert cause in block["likely cause"]
    # An SGD that ignores weight_decay= fails it alone and together with momentum=.
    assert sum(line.startswith("FAIL") for line in lines) == failures


USAGE_ERRORS = [
    (["missing.py:Linear", "--against", "torch.nn.Linear"], "no such file: missing.py"),
    (
        [f"{PIECES / 'linear_correct.py'}:Linaer", "--against", "torch.nn.Linear"],
        "defines no 'Linaer'; it defines Linear",
    ),
    (
        [f"{PIECES / 'linear_correct.py'}:Linear", "--against", "torch.nn.Conv2d"],
        "unsupported target 'torch.nn.Conv2d'; supported: torch.nn.Linear, torch.nn.Flatten, "
        "torch.nn.MSELoss, torch.nn.L1Loss, torch.nn.HuberLoss, torch.nn.CrossEntropyLoss, "
        "torch.nn.functional.softmax, torch.nn.functional.log_softmax, "
        "torch.nn.functional.cross_entropy, torch.nn.functional.mse_loss, torch.optim.SGD",
    ),
    ([str(PIECES / "linear_correct.py"), "--against", "torch.nn.Linear"], "FILE.py:NAME"),
    (
        [f"{PIECES / 'raises_on_import.py'}:SCALE", "--against", "torch.nn.Linear"],
        "raised ZeroDivisionError: division by zero",
    ),
    (
        [
            f"{PIECES / 'exits_on_import.py'}:cross_entropy",
            "--against",
            "torch.nn.functional.cross_entropy",
        ],
        'called sys.exit(0): verify imports the file, so the code at its top level runs; '
        'put it under `if __name__ == "__main__":`',
    ),
    (
        [f"{PIECES / 'cross_entropy_correct.py'}:cross_entropy", "--against", "torch.nn.MSELoss"],
        "torch.nn.MSELoss is a class, and cross_entropy is not a class: give the class "
        "itself, not an object of it; a function is checked against "
        "torch.nn.functional.mse_loss",
    ),
]
USAGE_IDS = [
    "no-file",
    "no-name",
    "unsupported-target",
    "no-name-given",
    "raises-on-import",
    "exits-on-import",
    "function-for-class",
]


def test_a_usage_error_exits_with_code_2_listing_the_supported_targets(tmp_path):
    arguments, message = USAGE_ERRORS[2]
    code, lines, err = verify(tmp_path, *arguments)
    assert (code, lines) == (2, [])
    assert err == f"minitorch-lr verify: error: {message}\n"


@pytest.mark.parametrize(("arguments", "message"), USAGE_ERRORS, ids=USAGE_IDS)
def test_each_usage_error_exits_with_code_2_and_says_why(capsys, arguments, message):
    assert main(["verify", *arguments]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert message in err


def test_a_missing_target_is_argparses_usage_error(capsys):
    assert main(["verify", f"{PIECES / 'linear_correct.py'}:Linear"]) == 2
    assert "the following arguments are required: --against" in capsys.readouterr().err
