"""The ``minitorch-lr`` command, run in-process through ``main(argv)``: parsing and wiring.

Linear regression runs for real (it takes a fraction of a second). Softmax regression runs
on a small stand-in for Fashion-MNIST so that the command's wiring is tested everywhere,
and once on the real data where it is installed. One subprocess run checks that
``python -m minitorch_lr`` is the same command; how each subcommand ends under bad input
and faults is checked through the real command in ``test_cli_programs.py``.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from minitorch_lr import chapter, data
from minitorch_lr.chapter import TRUE_B, TRUE_W
from minitorch_lr.cli import main
from minitorch_lr.data import fashion_mnist_files
from minitorch_lr.tools.bench_report import render_markdown
from minitorch_lr.tools.bench_results import load_run
from tests.helpers import requires_cuda

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE = REPO_ROOT / "benchmarks" / "sample_results.json"
ENDING_KEYS = {"error", "exit", "diverged", "epochs"}
LINREG_KEYS = {"w", "b", "w_error", "b_error", "loss"} | ENDING_KEYS
SOFTMAX_KEYS = {"data_dir", "train_loss", "train_acc", "test_acc", "seconds"} | ENDING_KEYS
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run(argv, capsys):
    """``main(argv)``'s exit code, its stdout lines and its stderr."""
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def last_json(lines):
    """The last line, parsed as strict JSON (NaN and Infinity refused)."""

    def refuse(token):
        raise ValueError(f"{token} is not JSON")

    return json.loads(lines[-1], parse_constant=refuse)


# --- linreg ---------------------------------------------------------------------------


@pytest.mark.parametrize("scratch", [False, True], ids=["concise", "scratch"])
def test_linreg_recovers_w_and_b_within_0_01(capsys, scratch):
    code, lines, _ = run(["linreg", "--json"] + (["--scratch"] if scratch else []), capsys)
    assert code == 0
    result = last_json(lines)
    assert set(result) == LINREG_KEYS
    assert [line.split(",")[0] for line in lines[:3]] == ["epoch 1", "epoch 2", "epoch 3"]
    for learned, error, truth in zip(result["w"], result["w_error"], TRUE_W):
        assert abs(error) < 0.01
        assert learned + error == pytest.approx(truth)
    assert abs(result["b_error"]) < 0.01
    assert result["b"] + result["b_error"] == pytest.approx(TRUE_B)
    # The noise has std 0.01: the loss of a recovered line is near 0.01^2 (MSE) or half it.
    assert result["loss"] < 1e-3


def synthetic_draws(generator, num_examples):
    """The data ``linreg`` draws first: features, then the noise of the labels."""
    X = torch.normal(0.0, 1.0, (num_examples, 2), generator=generator)
    noise = torch.normal(0.0, 0.01, (num_examples,), generator=generator)
    return X, (X @ torch.tensor(TRUE_W) + TRUE_B + noise).reshape(-1, 1)


def test_linreg_concise_is_torch_nn_with_the_same_draws(capsys):
    """The concise run equals torch.nn + torch.optim given the same data, init and order,
    drawn from one generator in the same sequence."""
    code, lines, _ = run(["linreg", "--json", "--seed", "3", "--epochs", "2"], capsys)
    assert code == 0
    generator = torch.Generator().manual_seed(3)
    X, y = synthetic_draws(generator, 1000)
    net = torch.nn.Linear(2, 1)
    torch.nn.init.normal_(net.weight, std=0.01, generator=generator)
    torch.nn.init.zeros_(net.bias)
    trainer = torch.optim.SGD(net.parameters(), lr=0.03)
    for _ in range(2):
        order = torch.randperm(1000, generator=generator)
        for start in range(0, 1000, 10):
            batch = order[start : start + 10]
            loss = torch.nn.functional.mse_loss(net(X[batch]), y[batch])
            trainer.zero_grad()
            loss.backward()
            trainer.step()
    result = last_json(lines)
    torch.testing.assert_close(torch.tensor(result["w"]), net.weight.detach().reshape(-1))
    torch.testing.assert_close(torch.tensor(result["b"]), net.bias.detach()[0])


def test_linreg_scratch_is_the_chapter_update_with_the_same_draws(capsys):
    """Under --scratch: w -= lr * grad(sum of halved squared errors) / B, batches in the
    order of a CPU generator of the same seed, the last batch short (1000 = 3 * 300 + 100)."""
    code, lines, _ = run(
        ["linreg", "--json", "--scratch", "--seed", "5", "--batch-size", "300"], capsys
    )
    assert code == 0
    generator = torch.Generator().manual_seed(5)
    X, y = synthetic_draws(generator, 1000)
    w = torch.normal(0.0, 0.01, (2, 1), generator=generator)
    b = torch.zeros(1)
    order_generator = torch.Generator().manual_seed(5)
    for _ in range(3):
        order = torch.randperm(1000, generator=order_generator)
        for start in range(0, 1000, 300):
            batch = order[start : start + 300]
            residual = X[batch] @ w + b - y[batch]  # gradient of (y_hat - y)^2 / 2
            w -= 0.03 * (X[batch].t() @ residual) / len(batch)
            b -= 0.03 * residual.sum(0) / len(batch)
    result = last_json(lines)
    torch.testing.assert_close(torch.tensor(result["w"]), w.reshape(-1))
    torch.testing.assert_close(torch.tensor(result["b"]), b[0])


@pytest.mark.parametrize("scratch", [[], ["--scratch"]], ids=["concise", "scratch"])
def test_linreg_same_seed_same_numbers_other_seed_other_numbers(capsys, scratch):
    results = [
        last_json(run(["linreg", "--json", "--seed", seed, *scratch], capsys)[1])
        for seed in "0 0 1".split()
    ]
    assert results[0] == results[1]
    assert results[0]["w"] != results[2]["w"]


# --- bad arguments --------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["regress"],
        ["linreg", "--epochs", "0"],
        ["linreg", "--epochs", "two"],
        ["linreg", "--lr", "-0.1"],
        ["linreg", "--lr", "nan"],
        ["linreg", "--batch-size", "0"],
        ["linreg", "--device", "tpu"],
        ["linreg", "--plot", "x.png"],  # softmax's option
        ["softmax", "--num-examples", "10"],  # linreg's option
        ["softmax", "--cuda-graph"],  # needs --device cuda
        ["linreg", "--cuda-graph"],  # softmax's option
    ],
)
def test_bad_arguments_are_a_usage_error_with_exit_code_2(capsys, argv):
    code, lines, err = run(argv, capsys)
    assert code == 2
    assert "usage: minitorch-lr" in err
    assert lines == []  # the JSON line comes only with --json


@pytest.mark.parametrize("argv", [["linreg", "--epochs", "0"], ["nope"]], ids=["value", "command"])
def test_a_usage_error_under_json_ends_with_the_error_as_json(capsys, argv):
    code, lines, err = run([*argv, "--json"], capsys)
    assert code == 2
    assert lines == [json.dumps({"error": err.splitlines()[-1].split("error: ", 1)[1], "exit": 2})]


@pytest.mark.parametrize("command", ["linreg", "softmax"])
def test_help_says_what_each_exit_code_means_and_where_data_is_looked_for(capsys, command):
    code, lines, _ = run([command, "--help"], capsys)
    assert code == 0
    text = " ".join(" ".join(lines).split())
    for words in ["0 success", "1 a failure", "2 bad arguments", "130 interrupted", "--json"]:
        assert words in text
    if command == "softmax":
        for words in ["$MINITORCH_LR_DATA", "per-user cache", "/usr/share/datasets"]:
            assert words in text


def test_help_under_json_ends_with_a_json_line_too(capsys):
    code, lines, _ = run(["linreg", "--help", "--json"], capsys)
    assert code == 0
    assert lines[0].startswith("usage: minitorch-lr linreg")
    assert json.loads(lines[-1]) == {"error": None, "exit": 0}


@pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA is available here")
@pytest.mark.parametrize("command", ["linreg", "softmax"])
def test_device_cuda_without_cuda_is_a_usage_error(capsys, command):
    code, _, err = run([command, "--device", "cuda"], capsys)
    assert code == 2
    assert f"usage: minitorch-lr {command}" in err and "CUDA is not available" in err


def test_python_dash_m_runs_the_same_command():
    environment = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    completed = subprocess.run(
        [sys.executable, "-m", "minitorch_lr", "--help"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=environment,
        timeout=120,
    )
    assert completed.returncode == 0
    assert completed.stdout.startswith("usage: minitorch-lr")
    assert "linreg" in completed.stdout and "softmax" in completed.stdout


# --- softmax: missing data ------------------------------------------------------------


def test_softmax_without_data_says_so_once_exits_1_and_writes_nothing(
    capsys, monkeypatch, tmp_path
):
    monkeypatch.delenv("MINITORCH_LR_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(fashion_mnist_files, "SYSTEM_FOLDER", tmp_path / "system")
    empty = tmp_path / "empty"
    empty.mkdir()
    outputs = ["--plot", str(tmp_path / "curves" / "c.png")]
    outputs += ["--predict", str(tmp_path / "grids" / "g.png")]
    argv = ["softmax", "--data-dir", str(empty), "--no-download", *outputs]
    code, lines, err = run(argv, capsys)
    assert code == 1
    assert lines == []
    assert err == (
        f"minitorch-lr softmax: Fashion-MNIST not found: --data-dir {empty}: lacks "
        f"{', '.join(fashion_mnist_files.FILES)}; downloads are off (--no-download). "
        f"To fix: put its four files ({', '.join(fashion_mnist_files.FILES)}) in {empty}, "
        "or run without --no-download to download them into it, or leave out --data-dir to "
        "search the per-user cache and the system folder.\n"
    )
    # Nothing written: not the cache folder, nor the folders of --plot and --predict.
    # (Checking the image formats may load matplotlib, which keeps its own cache.)
    assert sorted(path.name for path in tmp_path.iterdir()) in (["empty"], ["cache", "empty"])
    assert not (tmp_path / "cache" / "minitorch_lr").exists()


# --- softmax on a small stand-in for Fashion-MNIST -------------------------------------


@pytest.fixture
def small_fashion_mnist(monkeypatch):
    """Replace the data loaders by 96 random images, found in the folder asked for (or
    in ``stand-in``); record the arguments that finding and loading got."""
    calls = []

    def fashion_mnist_folder(root=None, download=True):
        calls.append({"root": root, "download": download})
        return Path(root or "stand-in")

    def load_data_fashion_mnist(batch_size, **options):
        calls.append(dict(options, batch_size=batch_size))
        generator = torch.Generator().manual_seed(0)
        images = torch.rand((96, 1, 28, 28), generator=generator)
        labels = torch.randint(0, 10, (96,), generator=generator)
        return (
            data.ArrayLoader(
                (images, labels), batch_size, shuffle=True, generator=options["generator"]
            ),
            data.ArrayLoader((images, labels), batch_size, shuffle=False),
        )

    monkeypatch.setattr(data, "fashion_mnist_folder", fashion_mnist_folder)
    monkeypatch.setattr(data, "load_data_fashion_mnist", load_data_fashion_mnist)
    return calls


@pytest.mark.parametrize("scratch", [[], ["--scratch"]], ids=["concise", "scratch"])
def test_softmax_trains_reports_and_saves_both_images(
    capsys, tmp_path, small_fashion_mnist, scratch
):
    curves, grid = tmp_path / "out" / "curves.png", tmp_path / "out" / "predictions.png"
    argv = [
        "softmax",
        "--epochs",
        "2",
        "--batch-size",
        "32",
        "--data-dir",
        "somewhere",
        "--no-download",
        "--plot",
        str(curves),
        "--predict",
        str(grid),
        "--json",
        *scratch,
    ]
    code, lines, err = run(argv, capsys)
    assert code == 0
    find, load = small_fashion_mnist
    assert (find["root"], find["download"]) == ("somewhere", False)
    assert (load["batch_size"], load["root"], load["download"]) == (32, Path("somewhere"), False)
    assert load["device"] == torch.device("cpu")
    assert err == "minitorch-lr softmax: Fashion-MNIST from somewhere\n"
    result = last_json(lines)
    assert set(result) == SOFTMAX_KEYS
    assert result["epochs"] == 2 and result["seconds"] > 0
    assert 0 <= result["train_acc"] <= 1 and 0 <= result["test_acc"] <= 1
    assert [line.split(",")[0] for line in lines[:2]] == ["epoch 1", "epoch 2"]
    assert sum(line.startswith("true ") for line in lines) == 6
    # Both folders created; both files complete PNGs.
    assert curves.read_bytes()[:8] == PNG_SIGNATURE
    assert grid.read_bytes()[:8] == PNG_SIGNATURE


def test_softmax_trains_with_the_momentum_and_schedule_asked_for(
    capsys, monkeypatch, small_fashion_mnist
):
    runs = []
    fit_softmax = chapter.fit_softmax

    def recording_fit_softmax(*args, **kwargs):
        runs.append(fit_softmax(*args, **kwargs))
        return runs[-1]

    monkeypatch.setattr(chapter, "fit_softmax", recording_fit_softmax)
    argv = ["softmax", "--momentum", "0.9", "--schedule", "cosine", "--epochs", "3"]
    argv += ["--lr", "0.05", "--batch-size", "32", "--json"]
    code, lines, _ = run(argv, capsys)
    assert code == 0 and last_json(lines)["epochs"] == 3
    [(model, history)] = runs
    assert model.updater.param_groups[0]["momentum"] == 0.9
    # Cosine over 3 epochs from 0.05: (1 + cos(pi t / 3)) / 2 of it, then 0 after the last.
    assert [record.lr for record in history] == pytest.approx([0.05, 0.0375, 0.0125])
    assert model.updater.param_groups[0]["lr"] == 0.0


@pytest.mark.parametrize(
    "argv, reason",
    [
        (["softmax", "--momentum", "-0.5"], "the value must be a number >= 0, got -0.5"),
        (["softmax", "--momentum", "inf"], "the value must be a number >= 0, got inf"),
        (["softmax", "--schedule", "step"], "invalid choice: 'step'"),
        (["softmax", "--scratch", "--momentum", "0.9"], "need the concise model, not --scratch"),
        (["softmax", "--scratch", "--schedule", "cosine"], "need the concise model"),
        (["linreg", "--momentum", "0.9"], "unrecognized arguments: --momentum"),
    ],
)
def test_bad_momentum_or_schedule_is_a_usage_error_saying_why(capsys, argv, reason):
    code, _, err = run(argv, capsys)
    assert code == 2
    assert "usage: minitorch-lr" in err and reason in err


def test_softmax_reports_divergence_with_exit_code_1(capsys, small_fashion_mnist):
    # lr 1e6 on the naive softmax: after one step the logits are in the thousands and exp
    # overflows, so the second of the first epoch's six batches already gives nan.
    argv = ["softmax", "--scratch", "--epochs", "3", "--lr", "1e6", "--batch-size", "16"]
    code, lines, err = run([*argv, "--json"], capsys)
    assert code == 1
    assert lines[:-1] == []
    assert err.splitlines()[-1].startswith(
        "minitorch-lr softmax: the mean training loss of epoch 1 is"
    )
    assert "Traceback" not in err
    result = last_json(lines)
    assert result["diverged"] is True and result["train_loss"] is None and result["exit"] == 1


# --- softmax on the real Fashion-MNIST -------------------------------------------------


@pytest.fixture(scope="module")
def real_fashion_mnist():
    try:
        data.load_fashion_mnist(download=False)
    except data.FashionMNISTNotFoundError:
        pytest.skip("Fashion-MNIST is not installed (apt install dataset-fashion-mnist)")


@pytest.mark.fashion_mnist
def test_softmax_on_real_fashion_mnist_one_epoch(capsys, tmp_path, real_fashion_mnist):
    curves = tmp_path / "curves.png"
    argv = ["softmax", "--epochs", "1", "--no-download", "--plot", str(curves), "--json"]
    code, lines, _ = run(argv, capsys)
    assert code == 0
    result = last_json(lines)
    assert set(result) == SOFTMAX_KEYS
    # Ten classes: chance is 0.1. One epoch of the chapter's recipe gets well past 0.7
    # (the chapter's own curves start near 0.79); the 10-epoch target is in test_chapter.py.
    assert result["test_acc"] > 0.7
    assert curves.read_bytes()[:8] == PNG_SIGNATURE


@requires_cuda
def test_cuda_graph_with_scratch_is_a_usage_error(capsys):
    code, _, err = run(["softmax", "--device", "cuda", "--scratch", "--cuda-graph"], capsys)
    assert code == 2
    assert "--scratch" in err


def test_bench_report_subcommand_writes_the_report(tmp_path, capsys):
    assert main(["bench-report", str(SAMPLE), "--out", str(tmp_path)]) == 0
    assert (tmp_path / "benchmarks.md").read_text().startswith("#")
    assert (tmp_path / "benchmarks.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bench_report_on_a_missing_file_exits_1_with_one_message(tmp_path, capsys):
    assert main(["bench-report", str(tmp_path / "absent.json"), "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "absent.json" in err and "Traceback" not in err


def test_bench_report_prints_where_it_wrote_the_report(tmp_path, capsys):
    assert main(["bench-report", str(SAMPLE), "--out", str(tmp_path)]) == 0
    assert (tmp_path / "benchmarks.md").exists() and (tmp_path / "benchmarks.png").exists()
    assert "benchmarks.md" in capsys.readouterr().out


def test_bench_report_reports_bad_results_on_stderr_with_exit_code_1(tmp_path, capsys):
    path = tmp_path / "results.json"
    path.write_text(json.dumps({"results": []}), encoding="utf-8")
    out_dir = tmp_path / "report"
    assert main(["bench-report", str(path), "--out", str(out_dir)]) == 1
    captured = capsys.readouterr()
    assert captured.err == (
        f"minitorch-lr bench-report: {path}: no 'benchmarks' list: not a file written by "
        "pytest --benchmark-json\n"
    )
    assert not out_dir.exists()


def test_bench_report_writes_what_render_markdown_renders(tmp_path):
    assert main(["bench-report", str(SAMPLE), "--out", str(tmp_path)]) == 0
    assert (tmp_path / "benchmarks.md").read_text() == render_markdown([load_run(SAMPLE)])


# --- failures: one line, a traceback only on request or for a bug ----------------------


def test_debug_adds_the_traceback_to_the_one_line_of_a_failure(capsys):
    code, _, err = run(["linreg", "--lr", "2"], capsys)
    assert code == 1 and "Traceback" not in err and len(err.splitlines()) == 1
    code, _, err = run(["linreg", "--lr", "2", "--debug"], capsys)
    assert code == 1
    assert "Traceback" in err and "FloatingPointError" in err
    assert err.splitlines()[-1].startswith("minitorch-lr linreg: the mean training loss")


def test_an_error_no_user_can_act_on_keeps_its_traceback(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("a bug in the program")

    monkeypatch.setattr("minitorch_lr.chapter.fit_linreg", broken)
    with pytest.raises(RuntimeError, match="a bug in the program"):
        main(["linreg", "--json"])
