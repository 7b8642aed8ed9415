"""The ``minitorch-lr`` command: the chapter's two programs, run from the shell.

``minitorch-lr linreg`` fits linear regression to synthetic data drawn from a known line
and reports how close the learned weights come; ``minitorch-lr softmax`` trains softmax
regression on Fashion-MNIST. Each runs the concise API or, with ``--scratch``, the
chapter's from-scratch functions (the programs are in :mod:`minitorch_lr.chapter`), and
``--json`` ends the output with one JSON line for scripts. Beyond the chapter,
``minitorch-lr softmax --momentum 0.9 --schedule cosine --epochs 30 --lr 0.05`` trains
with momentum and a cosine learning-rate schedule. ``minitorch-lr verify FILE.py:NAME
--against TORCH_NAME`` checks a learner's own piece against its torch twin
(:mod:`minitorch_lr.testing.verify`). ``minitorch-lr bench-report RESULTS.json --out DIR``
turns the benchmark suite's JSON into ``benchmarks.md`` and ``benchmarks.png``.
``python -m minitorch_lr`` is the same command.

This file parses arguments and prints; it computes nothing itself. Each subcommand is
one ``_add_*`` function that declares its arguments and the function that runs it.

Exit codes: 0 on success; 1 when the run fails for a reason outside the arguments (no
Fashion-MNIST, a corrupt file, training that diverged), with one message on stderr; 2 for
bad arguments (argparse's usage error), including ``--device cuda`` without CUDA. For
``verify``: 1 when a property fails, 2 when the piece cannot be loaded or the target is
not supported.
"""

import argparse
import json
import os
import sys
from pathlib import Path

import torch

from . import _checks, chapter, data
from .train import predict

__all__ = ["build_parser", "main"]


def _argument_type(check, convert):
    """An argparse ``type``: ``convert`` the text, then ``check`` it, with the check's
    message as the usage error."""

    def parse(text):
        try:
            value = convert(text)
        except ValueError:
            value = text
        try:
            return check(value, "the value")
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return parse


_positive_int = _argument_type(_checks.positive_int, int)
_positive_float = _argument_type(_checks.positive_number, float)
_non_negative_float = _argument_type(_checks.non_negative_number, float)


def _device(text):
    # Checked while parsing, so that the usage error names the subcommand.
    if text == "cuda" and not torch.cuda.is_available():
        raise argparse.ArgumentTypeError("CUDA is not available on this machine; use cpu")
    return text


def _add_common(parser, epochs, lr, batch_size):
    parser.add_argument(
        "--scratch", action="store_true", help="use the from-scratch functions, not nn/optim"
    )
    parser.add_argument("--epochs", type=_positive_int, default=epochs, help="default: %(default)s")
    parser.add_argument("--lr", type=_positive_float, default=lr, help="default: %(default)s")
    parser.add_argument(
        "--batch-size", type=_positive_int, default=batch_size, help="default: %(default)s"
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of every random draw (default: 0)"
    )
    parser.add_argument(
        "--device", type=_device, choices=["cpu", "cuda"], default="cpu", help="default: cpu"
    )
    parser.add_argument(
        "--json", action="store_true", help="end with one line of JSON holding the results"
    )


def _add_linreg(subcommands):
    parser = subcommands.add_parser(
        "linreg",
        help="linear regression on synthetic data",
        description=(
            f"Fit y = Xw + b to examples drawn from w = {list(chapter.TRUE_W)}, "
            f"b = {chapter.TRUE_B} plus noise of std 0.01, and print each epoch's loss over "
            "all examples (MSELoss, or the halved squared_loss under --scratch) and the "
            "error in w and b."
        ),
    )
    _add_common(parser, epochs=3, lr=0.03, batch_size=10)
    parser.add_argument(
        "--num-examples", type=_positive_int, default=1000, help="default: %(default)s"
    )
    parser.set_defaults(run=_run_linreg)


def _add_softmax(subcommands):
    parser = subcommands.add_parser(
        "softmax",
        help="softmax regression on Fashion-MNIST",
        description=(
            "Train softmax regression (weights from N(0, 0.01^2), zero bias) on Fashion-MNIST "
            "and print each epoch's training loss and accuracy and the test accuracy."
        ),
    )
    _add_common(parser, epochs=10, lr=0.1, batch_size=256)
    parser.add_argument(
        "--momentum",
        type=_non_negative_float,
        default=0.0,
        help="SGD's momentum; beyond the chapter, not with --scratch (default: 0)",
    )
    parser.add_argument(
        "--schedule",
        choices=chapter.SCHEDULES,
        default="constant",
        help="learning rate over the epochs: the chapter's constant one, or cosine annealing "
        "from --lr to 0; not with --scratch (default: constant)",
    )
    parser.add_argument(
        "--data-dir", metavar="DIR", help="look for the four Fashion-MNIST files here first"
    )
    parser.add_argument(
        "--no-download", action="store_true", help="fail instead of downloading missing data"
    )
    parser.add_argument("--plot", metavar="PATH", help="save the training curves to this image")
    parser.add_argument(
        "--predict", metavar="PATH", help="save six test images with true/predicted labels here"
    )
    parser.add_argument(
        "--cuda-graph",
        action="store_true",
        help="record each epoch as one CUDA graph and replay it (needs --device cuda; "
        "not with --scratch)",
    )
    parser.set_defaults(run=_run_softmax)


def _add_bench_report(subcommands):
    parser = subcommands.add_parser(
        "bench-report",
        help="turn benchmark results into a Markdown report and a plot",
        description=(
            "Read the JSON that `pytest benchmarks --benchmark-json=FILE` writes and write "
            "DIR/benchmarks.md (throughput and ratio to torch.nn per device and case) and "
            "DIR/benchmarks.png (throughput against batch size)."
        ),
    )
    parser.add_argument(
        "results",
        nargs="+",
        metavar="RESULTS.json",
        help="results of one or more runs (runs on one machine share a summary)",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for the report")
    parser.set_defaults(run=_run_bench_report)


def _add_verify(subcommands):
    parser = subcommands.add_parser(
        "verify",
        help="check your own layer, loss or optimizer against its torch twin",
        description=(
            "Load NAME (a class or function) from the Python file FILE.py and run the "
            "property checks of TORCH_NAME on it: one line per property (PASS, FAIL, SKIP, "
            "or INFO for a finding that is no verdict), and for each failure the smallest "
            "input found, what torch gives, what yours gives and the likely cause. Exit "
            "code 0 when every property that ran holds, 1 when one fails, 2 for a usage "
            "error."
        ),
    )
    parser.add_argument("piece", metavar="FILE.py:NAME", help="your class or function")
    parser.add_argument(
        "--against",
        required=True,
        metavar="TORCH_NAME",
        help="the torch piece to compare with, e.g. torch.nn.Linear",
    )
    parser.set_defaults(run=_run_verify)


def build_parser():
    """The argument parser of ``minitorch-lr``, one subparser per subcommand."""
    parser = argparse.ArgumentParser(
        prog="minitorch-lr",
        description="Chapter 3 of Dive into Deep Learning, on minitorch_lr.",
    )
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_linreg(subcommands)
    _add_softmax(subcommands)
    _add_verify(subcommands)
    _add_bench_report(subcommands)
    return parser


def _run_linreg(args):
    result = chapter.fit_linreg(
        from_scratch=args.scratch,
        num_examples=args.num_examples,
        lr=args.lr,
        batch_size=args.batch_size,
        num_epochs=args.epochs,
        seed=args.seed,
        device=args.device,
    )
    for epoch, epoch_loss in enumerate(result.losses, start=1):
        print(f"epoch {epoch}, loss {epoch_loss:f}")
    w_error = [truth - learned for truth, learned in zip(chapter.TRUE_W, result.w.tolist())]
    b_error = chapter.TRUE_B - result.b
    print(f"error in w: {w_error}")
    print(f"error in b: {b_error}")
    if args.json:
        print(
            json.dumps(
                {
                    "w": result.w.tolist(),
                    "b": result.b,
                    "w_error": w_error,
                    "b_error": b_error,
                    "loss": result.losses[-1],
                }
            )
        )
    return 0


def _run_softmax(args):
    device = torch.device(args.device)
    generator = torch.Generator(device=device).manual_seed(args.seed)
    try:
        train_iter, test_iter = data.load_data_fashion_mnist(
            args.batch_size,
            root=args.data_dir,
            device=device,
            generator=generator,
            download=not args.no_download,
        )
    except (data.FashionMNISTNotFoundError, data.IDXError) as error:
        print(f"minitorch-lr softmax: {error}", file=sys.stderr)
        return 1
    # Only now that the data loaded, so that a run that cannot start leaves nothing behind.
    for path in (args.plot, args.predict):
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        model, history = chapter.fit_softmax(
            train_iter,
            test_iter,
            from_scratch=args.scratch,
            lr=args.lr,
            momentum=args.momentum,
            schedule=args.schedule,
            num_epochs=args.epochs,
            device=device,
            generator=generator,
            plot_path=args.plot,
            cuda_graph=args.cuda_graph,
        )
    except FloatingPointError as error:
        print(f"minitorch-lr softmax: {error}", file=sys.stderr)
        return 1
    for record in history:
        print(
            f"epoch {record.epoch}, loss {record.train_loss:.4f}, train acc "
            f"{record.train_acc:.4f}, test acc {record.test_acc:.4f} ({record.seconds:.2f} s)"
        )
    if args.plot is not None:
        print(f"curves saved to {args.plot}")
    if args.predict is not None:
        true_labels, predicted_labels = predict(model.net, test_iter, path=args.predict)
        for true, guess in zip(true_labels, predicted_labels):
            print(f"true {true:<12} predicted {guess}")
        print(f"predictions saved to {args.predict}")
    if args.json:
        last = history[-1]
        result = {
            "train_loss": last.train_loss,
            "train_acc": last.train_acc,
            "test_acc": last.test_acc,
            "epochs": len(history),
            "seconds": sum(record.seconds for record in history),
        }
        print(json.dumps(result))
    return 0


def _run_bench_report(args):
    # Imported here: the report's code is tooling, loaded only by this subcommand.
    from .tools.bench_report import write_report
    from .tools.bench_results import BenchReportError

    try:
        markdown_path, image_path = write_report(args.results, args.out)
    except (BenchReportError, OSError) as error:
        print(f"minitorch-lr bench-report: {error}", file=sys.stderr)
        return 1
    print(f"wrote {markdown_path} and {image_path}")
    return 0


def _run_verify(args):
    # Imported here: the checks load Hypothesis, which only this subcommand needs.
    from .testing.verify import Report, VerifyUsageError, check_file

    try:
        results = check_file(args.piece, args.against)
    except VerifyUsageError as error:
        print(f"minitorch-lr verify: error: {error}", file=sys.stderr)
        return 2
    # Hypothesis caches what it reads in source files, by default in ./.hypothesis: kept
    # in the package's per-user cache instead, the learner's folder stays as it was.
    cache = data.fashion_mnist_files.cache_folder().parent / "hypothesis"
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(cache))
    report = Report(args.piece, args.against)
    print(f"{args.piece} against {args.against}", flush=True)
    for result in results:
        report.results.append(result)
        print("\n".join(result.lines()), flush=True)
    print(report.summary())
    return report.exit_code


def main(argv=None):
    """Run ``minitorch-lr`` with ``argv`` (default: ``sys.argv[1:]``); return the exit code.

    Bad arguments exit with code 2 through ``argparse``, as for any command-line tool.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "cuda_graph", False):
        if args.device != "cuda":
            parser.error("--cuda-graph needs --device cuda")
        if args.scratch:
            parser.error("--cuda-graph trains the concise model; it cannot record --scratch")
    if args.command == "softmax" and args.scratch:
        if args.momentum != 0 or args.schedule != "constant":
            parser.error("--momentum and --schedule need the concise model, not --scratch")
    return args.run(args)
