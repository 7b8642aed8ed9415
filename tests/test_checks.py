"""The shared argument checks: what each accepts and refuses, with one message form, and
the exception type each caller chooses."""

import math
import os

import pytest
import torch

from minitorch_lr import _checks


@pytest.mark.parametrize("value", [1, 2, 10**12])
def test_positive_int_returns_a_positive_int(value):
    assert _checks.positive_int(value, "n") == value


@pytest.mark.parametrize("value", [0, -1, 1.0, 2.5, True, "3", None])
def test_positive_int_refuses_the_rest_naming_the_argument_and_the_value(value):
    with pytest.raises(ValueError, match=rf"^n must be a positive integer, got {value!r}$"):
        _checks.positive_int(value, "n")


def test_a_check_raises_the_type_its_caller_asks_for():
    with pytest.raises(RuntimeError, match="must be a number >= 0"):
        _checks.non_negative_number(-1, "noise", RuntimeError)


@pytest.mark.parametrize("value", [1e-9, 0.5, 3])
def test_positive_number_accepts_finite_numbers_above_zero(value):
    assert _checks.positive_number(value, "lr") == value


@pytest.mark.parametrize("value", [0, -0.1, math.nan, math.inf, True, "0.1"])
def test_positive_number_refuses_zero_negatives_nan_inf_and_non_numbers(value):
    with pytest.raises(ValueError, match="^lr must be a positive number, got "):
        _checks.positive_number(value, "lr")


@pytest.mark.parametrize("value", [0, 0.0, 0.01])
def test_non_negative_number_accepts_zero(value):
    assert _checks.non_negative_number(value, "noise") == value


def test_writable_file_accepts_a_new_file_in_an_existing_folder(tmp_path):
    assert _checks.writable_file(tmp_path / "x.png", "the plot") == tmp_path / "x.png"


def under_a_file(folder):
    (folder / "file").write_text("")
    return folder / "file" / "x.png"


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda tmp: tmp / "missing" / "x.png", FileNotFoundError),
        (under_a_file, NotADirectoryError),
        (lambda tmp: tmp, IsADirectoryError),
    ],
    ids=["missing-folder", "folder-is-a-file", "path-is-a-folder"],
)
def test_writable_file_refuses_paths_that_cannot_be_written(tmp_path, make, error):
    with pytest.raises(error, match="^cannot write the plot to "):
        _checks.writable_file(make(tmp_path), "the plot")


def test_writable_file_refuses_a_folder_the_process_may_not_write(tmp_path, monkeypatch):
    # Asked of the operating system with os.access; root may write anywhere, so the
    # answer "no" is stood in for here, and the real read-only folder is tried below.
    monkeypatch.setattr(_checks.os, "access", lambda path, mode: False)
    with pytest.raises(PermissionError, match="is not writable"):
        _checks.writable_file(tmp_path / "x.png", "the plot")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_writable_file_refuses_a_read_only_folder(tmp_path):
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(PermissionError, match="is not writable"):
            _checks.writable_file(tmp_path / "x.png", "the plot")
    finally:
        tmp_path.chmod(0o700)


@pytest.mark.parametrize("value", [0, -(2**63), 2**64 - 1, 12345])
def test_seed_accepts_what_torch_generators_take(value):
    assert _checks.seed(value, "seed") == value
    torch.Generator().manual_seed(value)  # and torch agrees


@pytest.mark.parametrize("value", [2**64, -(2**63) - 1, 10**23, 1.0, True, "0"])
def test_seed_refuses_the_rest_naming_the_range(value):
    with pytest.raises(ValueError, match=r"^seed must be an integer from -2\*\*63 to 2\*\*64 - 1"):
        _checks.seed(value, "seed")


def test_torch_refuses_the_seeds_beyond_the_range_too():
    # What the check guards against: torch's own message names neither seed nor range.
    for value in [2**64, -(2**63) - 1]:
        with pytest.raises((ValueError, RuntimeError, OverflowError), match="Overflow"):
            torch.Generator().manual_seed(value)


def test_writable_file_may_allow_folders_that_can_still_be_created(tmp_path):
    path = tmp_path / "new" / "deeper" / "x.png"
    with pytest.raises(FileNotFoundError, match="does not exist"):
        _checks.writable_file(path, "the plot")
    assert _checks.writable_file(path, "the plot", missing_folders=True) == path
    assert list(tmp_path.iterdir()) == []  # checked, not created


@pytest.mark.parametrize("link", [False, True], ids=["a-file", "a-link-to-nowhere"])
def test_writable_file_refuses_a_missing_folder_under_something_that_is_no_folder(
    tmp_path, link
):
    blocker = tmp_path / "blocker"
    if link:
        blocker.symlink_to(tmp_path / "nowhere")
    else:
        blocker.write_text("")
    with pytest.raises(NotADirectoryError, match="blocker' is not a folder"):
        _checks.writable_file(blocker / "new" / "x.png", "--plot", missing_folders=True)
