"""The subcommands under bad input and faults, through the real command in a subprocess.

Each case checks what a user sees: the exit code, the last line of stdout (strict JSON
under ``--json``), stderr (one line, no traceback) and what is left on disk. Softmax
runs on a small stand-in for Fashion-MNIST (``tests/command.py``), with a complete copy
in the per-user cache wherever a case is about not falling back to it. The cases of one
table run at once, one per CPU (``run_commands``).
"""

import json
import queue
import resource
import signal
import subprocess
import threading
import time
import warnings

import pytest

from tests.command import (
    STAND_IN,
    files_under,
    run_command,
    run_commands,
    start_command,
    without_root_override,
)

CACHE = ("cache", "minitorch_lr", "fashion-mnist")
GZ_NAMES = list(STAND_IN.files)


def strict_json(line):
    """``line`` parsed as JSON that any parser takes: NaN and Infinity are refused."""

    def refuse(token):
        raise ValueError(f"{token} is not JSON")

    return json.loads(line, parse_constant=refuse)


def assert_one_line_error(result, exit_code, starts_with):
    """Exit code, one line on stderr from the command, no traceback, JSON to match."""
    assert result.code == exit_code, result.err
    assert "Traceback" not in result.err
    error_lines = [line for line in result.err.splitlines() if not line.startswith("usage")]
    assert error_lines[-1].startswith(starts_with), result.err
    closing = strict_json(result.last)
    assert closing["exit"] == exit_code
    assert closing["error"] and closing["error"] in result.err
    return closing


# --- 1. a named data folder is the only place looked at ------------------------------


def _missing(tmp):
    return ["--data-dir", tmp / "typo"], tmp / "typo", "no such folder"


def _empty(tmp):
    (tmp / "empty").mkdir()
    return ["--data-dir", tmp / "empty"], tmp / "empty", f"lacks {GZ_NAMES[0]}"


def _a_file(tmp):
    (tmp / "afile").write_text("not a folder")
    return ["--data-dir", tmp / "afile"], tmp / "afile", "a file, not a folder"


def _one_file_missing(tmp):
    STAND_IN.write(tmp / "three", GZ_NAMES[:3])
    return ["--data-dir", tmp / "three"], tmp / "three", f"lacks {GZ_NAMES[3]};"


def _gunzipped(tmp):
    (tmp / "plain").mkdir()
    for name, raw in STAND_IN.raw.items():
        (tmp / "plain" / name.removesuffix(".gz")).write_bytes(raw)
    problem = "uncompressed, but the files are read gzip-compressed (gzip them)"
    return ["--data-dir", tmp / "plain"], tmp / "plain", problem


def _dangling_link(tmp):
    (tmp / "link").symlink_to(tmp / "gone")
    return ["--data-dir", tmp / "link"], tmp / "link", f"a link to {tmp / 'gone'}, which does"


def _tilde_in_option(tmp):
    STAND_IN.write(tmp / "home" / "x", GZ_NAMES[:2])
    return ["--data-dir=~/x"], tmp / "home" / "x", f"lacks {GZ_NAMES[2]}"


def _variable_names_missing_folder(tmp):
    return [], tmp / "gone", "no such folder"


NAMED_FOLDER_CASES = {
    "missing-folder": _missing,
    "empty-folder": _empty,
    "a-file": _a_file,
    "one-file-missing": _one_file_missing,
    "gunzipped-files": _gunzipped,
    "dangling-link": _dangling_link,
    "tilde-in-option": _tilde_in_option,
    "variable-names-missing-folder": _variable_names_missing_folder,
}


def run_cases(tmp_path_factory, cases, prepare):
    """Each case prepared in a folder of its own, then all run at once.

    ``prepare(name, make, tmp)`` sets the case up and returns ``(argv, options,
    expected)``; the result is ``{name: (result, tmp, files before the run, expected)}``.
    """
    jobs, setups = {}, {}
    for name, make in cases.items():
        tmp = tmp_path_factory.mktemp(name)
        argv, options, expected = prepare(name, make, tmp)
        jobs[name] = (argv, tmp, options)
        setups[name] = (tmp, files_under(tmp), expected)
    results = run_commands(jobs)
    return {name: (results[name], *setups[name]) for name in cases}


@pytest.fixture(scope="module")
def named_folder_runs(tmp_path_factory):
    """Each case run once, with a complete copy in the per-user cache that the old code
    silently trained on instead."""

    def prepare(name, make, tmp):
        (tmp / "home").mkdir()
        STAND_IN.write(tmp.joinpath(*CACHE))
        args, folder, problem = make(tmp)
        env = {"MINITORCH_LR_DATA": str(folder)} if name.startswith("variable") else {}
        argv = ["softmax", "--epochs", "1", "--no-download", "--json", *args]
        return argv, {"stand_in": True, "env": env}, (folder, problem)

    return run_cases(tmp_path_factory, NAMED_FOLDER_CASES, prepare)


@pytest.mark.parametrize("case", NAMED_FOLDER_CASES)
def test_a_named_folder_without_the_data_is_an_error_naming_it_and_nothing_else_is_read(
    named_folder_runs, case
):
    result, tmp, before, (folder, problem) = named_folder_runs[case]
    label = "$MINITORCH_LR_DATA" if case.startswith("variable") else "--data-dir"
    assert_one_line_error(
        result, 1, f"minitorch-lr softmax: Fashion-MNIST not found: {label} {folder}: "
    )
    assert problem in result.err
    # The command line's words, not the Python API's.
    assert "--no-download" in result.err and "download=False" not in result.err
    assert not any(line.startswith("epoch") for line in result.lines)
    assert files_under(tmp) == before


def test_a_named_folder_with_the_data_is_used_and_named(tmp_path):
    STAND_IN.write(tmp_path / "home" / "x")
    result = run_command(
        ["softmax", "--epochs", "1", "--no-download", "--json", "--data-dir=~/x"],
        tmp_path,
        stand_in=True,
    )
    assert result.code == 0, result.err
    assert f"minitorch-lr softmax: Fashion-MNIST from {tmp_path / 'home' / 'x'}\n" in result.err
    assert strict_json(result.last)["data_dir"] == str(tmp_path / "home" / "x")


def test_a_named_folder_is_downloaded_into_and_a_failed_download_leaves_nothing(tmp_path):
    # Downloads go to a closed port here: the download fails, and the folder it made for
    # them is removed again.
    before = files_under(tmp_path)
    result = run_command(
        ["softmax", "--json", "--data-dir", tmp_path / "new" / "data"], tmp_path, stand_in=True
    )
    closing = assert_one_line_error(result, 1, "minitorch-lr softmax: Fashion-MNIST not found")
    assert f"downloading into {tmp_path / 'new' / 'data'} failed" in closing["error"]
    assert files_under(tmp_path) == before


def test_without_a_named_folder_the_search_order_is_named_in_the_commands_words(tmp_path):
    result = run_command(["softmax", "--no-download", "--json"], tmp_path, stand_in=True)
    closing = assert_one_line_error(result, 1, "minitorch-lr softmax: Fashion-MNIST not found")
    for words in ["per-user cache", "system folder", "--no-download", "--data-dir DIR"]:
        assert words in closing["error"]
    for api_words in ["root=", "download=False", "download=True"]:
        assert api_words not in closing["error"]


# --- 2. divergence -----------------------------------------------------------------


def test_linreg_that_diverges_exits_1_with_strict_json_and_the_hint(tmp_path):
    result = run_command(["linreg", "--lr", "2", "--json"], tmp_path)
    closing = assert_one_line_error(
        result, 1, "minitorch-lr linreg: the mean training loss of epoch 1 is"
    )
    assert "a learning rate too large" in closing["error"]
    assert closing["diverged"] is True
    assert closing["w"] is None and closing["loss"] is None


# --- 3. output paths, checked before training ---------------------------------------


def _unknown_format(tmp):
    return ["--predict", "out/p.xyz"], 2, "unknown image format 'xyz'"


def _read_only_folder(tmp):
    (tmp / "ro").mkdir(mode=0o555)
    return ["--predict", "ro/p.png"], 1, "folder 'ro' is not writable"


def _a_folder_as_the_path(tmp):
    (tmp / "out").mkdir()
    return ["--predict", "out"], 1, "cannot write --predict to 'out': it is a folder"


def _under_a_file(tmp):
    (tmp / "afile").write_text("")
    return ["--plot", "afile/new/c.png"], 1, "'afile' is not a folder"


def _new_folder_bad_format(tmp):
    return ["--plot", "newdir/x.bad"], 2, "unknown image format 'bad'"


def _the_same_file_twice(tmp):
    return ["--plot", "c.png", "--predict", "./c.png"], 2, "name the same file"


OUTPUT_CASES = {
    "unknown-format": _unknown_format,
    "read-only-folder": _read_only_folder,
    "a-folder-as-the-path": _a_folder_as_the_path,
    "under-a-file": _under_a_file,
    "new-folder-bad-format": _new_folder_bad_format,
    "the-same-file-twice": _the_same_file_twice,
}


@pytest.fixture(scope="module")
def output_runs(tmp_path_factory):
    prefix = without_root_override()

    def prepare(name, make, tmp):
        STAND_IN.write(tmp / "system")
        args, exit_code, message = make(tmp)
        argv = ["softmax", "--epochs", "1", "--json", *args]
        return argv, {"stand_in": True, "prefix": prefix}, (exit_code, message)

    return run_cases(tmp_path_factory, OUTPUT_CASES, prepare)


@pytest.mark.parametrize("case", OUTPUT_CASES)
def test_an_output_path_that_cannot_be_written_fails_before_training_creating_nothing(
    output_runs, case
):
    result, tmp, before, (exit_code, message) = output_runs[case]
    assert_one_line_error(result, exit_code, "minitorch-lr softmax: ")
    assert message in result.err
    assert not any(line.startswith("epoch") for line in result.lines)
    assert files_under(tmp) == before


def _limit_file_size():
    # Files may grow to 4 KiB: the curves' PNG (tens of KiB) cannot be written, as on a
    # full disk. Python ignores SIGXFSZ, so the write fails with EFBIG instead of a kill.
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_a_write_that_fails_mid_run_is_one_line_naming_the_file_and_leaves_no_part(tmp_path):
    STAND_IN.write(tmp_path / "system")
    result = run_command(
        ["softmax", "--epochs", "2", "--json", "--plot", "out/c.png"],
        tmp_path,
        stand_in=True,
        preexec_fn=_limit_file_size,
    )
    closing = assert_one_line_error(result, 1, "minitorch-lr softmax: out/c.png: cannot save")
    assert "File too large" in closing["error"]
    assert closing["epochs"] == 1  # the epoch that ended is reported
    assert not (tmp_path / "out").exists()  # no half-written image, nor its new folder


# --- 4. one line where a traceback was -----------------------------------------------


@pytest.mark.parametrize("locked", ["folder", "files"])
def test_unreadable_data_is_one_line(tmp_path, locked):
    folder = STAND_IN.write(tmp_path / "data")
    targets = [folder] if locked == "folder" else [folder / name for name in GZ_NAMES]
    for path in targets:
        path.chmod(0)
    try:
        result = run_command(
            ["softmax", "--json", "--no-download", "--data-dir", folder],
            tmp_path,
            stand_in=True,
            prefix=without_root_override(),
        )
    finally:
        for path in targets:
            path.chmod(0o755)
    expected = "cannot be read" if locked == "folder" else f"cannot read {GZ_NAMES[0]}"
    closing = assert_one_line_error(result, 1, "minitorch-lr softmax: Fashion-MNIST not found")
    assert expected in closing["error"] and "permission denied" in closing["error"]


def test_a_seed_out_of_range_is_a_usage_error_ending_in_json(tmp_path):
    result = run_command(["linreg", "--seed", "99999999999999999999999", "--json"], tmp_path)
    closing = assert_one_line_error(result, 2, "minitorch-lr linreg: error: argument --seed: ")
    assert "usage: minitorch-lr linreg" in result.err
    assert closing == {
        "error": "argument --seed: the value must be an integer from -2**63 to 2**64 - 1, "
        "got 99999999999999999999999",
        "exit": 2,
    }


# --- 5. Ctrl-C -------------------------------------------------------------------


def interrupt_after(process, line_start, within=30):
    """Send SIGINT once stdout shows a line starting with ``line_start`` (or after
    ``within`` seconds); wait for the end. Returns ``(lines seen before the signal, all
    lines)``: lines arrive before the end only if each is flushed as it is printed.

    A process still running 20 s after the signal gets a second one, as a user would
    press Ctrl-C again, with a warning in the test report (Python drops a
    KeyboardInterrupt raised inside a finalizer); one still running 20 s after that
    fails the test.
    """
    lines = queue.Queue()

    def pump():
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    seen, stop_at = [], time.monotonic() + within
    while (left := stop_at - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            break
        seen.append(line)
        if line.startswith(line_start):
            break
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        warnings.warn("the command went on after one SIGINT; a second one was sent", stacklevel=2)
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
    reader.join(timeout=10)
    rest = []
    while not lines.empty():
        rest.append(lines.get_nowait())
    return seen, seen + [line for line in rest if line is not None]


@pytest.mark.parametrize("program", ["linreg", "softmax"])
def test_ctrl_c_stops_reports_the_epochs_done_and_exits_130(tmp_path, program):
    STAND_IN.write(tmp_path / "system")
    if program == "linreg":
        args = ["linreg", "--num-examples", "20000", "--epochs", "100000", "--json"]
    else:
        args = ["softmax", "--epochs", "100000", "--batch-size", "16", "--json"]
        args += ["--plot", "out/c.png"]
    process = start_command(args, tmp_path, stand_in=True)
    try:
        seen, lines = interrupt_after(process, "epoch 2")
        err = process.stderr.read()
    finally:
        process.kill()
    assert seen and seen[-1].startswith("epoch 2"), f"no epoch line while running: {seen}"
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert err.splitlines()[-1].startswith(f"minitorch-lr {program}: interrupted after ")
    closing = strict_json(lines[-1])
    done = sum(line.startswith("epoch ") for line in lines)
    assert closing["exit"] == 130 and closing["epochs"] == done >= 2
    assert f"interrupted after {done} of 100000 epochs" in closing["error"]
    if program == "softmax":
        assert [path.name for path in (tmp_path / "out").iterdir()] == ["c.png"]


# --- the tests' own tools ----------------------------------------------------------


def test_without_root_override_takes_away_the_right_to_read_any_file(tmp_path):
    # The permission cases above mean something only if this holds, also for root.
    secret = tmp_path / "secret"
    secret.write_text("x")
    secret.chmod(0)
    try:
        completed = subprocess.run(
            [*without_root_override(), "cat", str(secret)], capture_output=True, check=False
        )
    finally:
        secret.chmod(0o600)
    assert completed.returncode != 0
