"""The ``minitorch-lr`` command: the chapter's two programs, run from the shell.

``minitorch-lr linreg`` fits linear regression to synthetic data drawn from a known line
and reports how close the learned weights come; ``minitorch-lr softmax`` trains softmax
regression on Fashion-MNIST. Each runs the concise API or, with ``--scratch``, the
chapter's from-scratch functions (the programs are in :mod:`minitorch_lr.chapter`), and
prints each epoch's line as soon as the epoch ends. Beyond the chapter,
``minitorch-lr softmax --momentum 0.9 --schedule cosine --epochs 30 --lr 0.05`` trains
with momentum and a cosine learning-rate schedule. ``minitorch-lr verify FILE.py:NAME
--against TORCH_NAME`` checks a learner's own piece against its torch twin
(:mod:`minitorch_lr.testing.verify`). ``minitorch-lr bench-report RESULTS.json --out DIR``
turns the benchmark suite's JSON into ``benchmarks.md`` and ``benchmarks.png``.
``python -m minitorch_lr`` is the same command.

This file parses arguments; it computes nothing itself. Each subcommand is one
``_add_*`` function that declares its arguments and the function of
:mod:`minitorch_lr.cli_programs` that runs it and prints; how a run reports and ends is
in :mod:`minitorch_lr.cli_output`.

What can be checked before training is checked before training: the arguments while
parsing (a seed out of range, an image format no one can write, the same file for
``--plot`` and ``--predict``), then the output folders, then the data; nothing is created
when a check fails.

Exit codes: 0 on success; 1 for a failure outside the arguments (no Fashion-MNIST or a
corrupt copy, a file that cannot be read or written, a full disk, training that
diverged), with one line on stderr that names the thing and what to do (``--debug``
adds the traceback); 2 for bad arguments (argparse's usage error), including ``--device
cuda`` without CUDA; 130 when interrupted with Ctrl-C, after the epochs completed were
printed. Errors that no user can act on (a bug) still show their traceback. For
``verify``: 1 when a property fails, 2 when the piece cannot be loaded or the target is
not supported.

``--json`` ends the output with one line of strict JSON on every one of those exits:
``{"exit": N, "error": null or the message, ...}``, plus, once training has started,
the results: for ``linreg`` ``epochs`` (completed), ``loss``, ``w``, ``b``, ``w_error``,
``b_error``; for ``softmax`` ``data_dir``, ``epochs``, ``train_loss``, ``train_acc``,
``test_acc``, ``seconds``; and ``diverged`` (true or false). A value that does not exist,
such as the weights of a run that diverged or was interrupted, is ``null``.
"""

import argparse
import sys
from pathlib import Path

import torch

from . import _checks, chapter, cli_programs, plot
from .cli_output import EXIT_OK, EXIT_USAGE, Report, asks_for_json
from .data.fashion_mnist_files import SYSTEM_FOLDER
from .data.fashion_mnist_places import ENV_VAR

__all__ = ["build_parser", "main"]

EXIT_CODES_HELP = (
    "Exit codes: 0 success; 1 a failure outside the arguments (data, files, disk, network, "
    "training that diverged), in one line on stderr; 2 bad arguments; 130 interrupted "
    "(Ctrl-C). With --json the last line of stdout is one JSON object on each of these "
    'exits, holding "exit", "error" (null or the message) and, once training has started, '
    "the results (null where there is no value)."
)
DATA_HELP = (
    f"Fashion-MNIST is read from --data-dir DIR if given, else from ${ENV_VAR} if set: "
    "that folder (or its fashion-mnist subfolder) is then the only place looked at, and "
    "missing files are downloaded into it. Otherwise the per-user cache "
    "(~/.cache/minitorch_lr/fashion-mnist, or under $XDG_CACHE_HOME) and the system folder "
    f"{SYSTEM_FOLDER} are searched, and missing files are downloaded into the cache. "
    "--no-download turns downloads off. The folder used is named on stderr."
)


class _UsageError(Exception):
    """Bad arguments, raised by :class:`_Parser` for :func:`main` to report."""

    def __init__(self, parser, message):
        super().__init__(message)
        self.parser, self.message = parser, message


class _Parser(argparse.ArgumentParser):
    """argparse's parser, raising on a usage error instead of printing and exiting, so
    that :func:`main` ends that run like every other (with the JSON line, under --json)."""

    def error(self, message):
        raise _UsageError(self, message)


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
_seed = _argument_type(_checks.seed, int)


def _device(text):
    # Checked while parsing, so that the usage error names the subcommand.
    if text == "cuda" and not torch.cuda.is_available():
        raise argparse.ArgumentTypeError("CUDA is not available on this machine; use cpu")
    return text


def _image_path(text):
    # The format follows from the name alone: a usage error, found before any work.
    path = Path(text).expanduser()
    try:
        plot.image_format(path)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return path


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
        "--seed",
        type=_seed,
        default=0,
        help="seed of every random draw, from -2**63 to 2**64 - 1 (default: 0)",
    )
    parser.add_argument(
        "--device", type=_device, choices=["cpu", "cuda"], default="cpu", help="default: cpu"
    )
    _add_reporting(parser)


def _add_reporting(parser):
    parser.add_argument(
        "--json", action="store_true", help="end with one line of JSON holding the results"
    )
    _add_debug(parser)


def _add_debug(parser):
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of a failure, not just its line"
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
        epilog=EXIT_CODES_HELP,
    )
    _add_common(parser, epochs=3, lr=0.03, batch_size=10)
    parser.add_argument(
        "--num-examples", type=_positive_int, default=1000, help="default: %(default)s"
    )
    parser.set_defaults(run=cli_programs.run_linreg)


def _add_softmax(subcommands):
    parser = subcommands.add_parser(
        "softmax",
        help="softmax regression on Fashion-MNIST",
        description=(
            "Train softmax regression (weights from N(0, 0.01^2), zero bias) on Fashion-MNIST "
            "and print each epoch's training loss and accuracy and the test accuracy. " + DATA_HELP
        ),
        epilog=EXIT_CODES_HELP,
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
        "--data-dir",
        metavar="DIR",
        help=f"read Fashion-MNIST from this folder only (~ expanded); overrides ${ENV_VAR}",
    )
    parser.add_argument(
        "--no-download", action="store_true", help="fail instead of downloading missing data"
    )
    parser.add_argument(
        "--plot", metavar="PATH", type=_image_path, help="save the training curves to this image"
    )
    parser.add_argument(
        "--predict",
        metavar="PATH",
        type=_image_path,
        help="save six test images with true/predicted labels here",
    )
    parser.add_argument(
        "--cuda-graph",
        action="store_true",
        help="record each epoch as one CUDA graph and replay it (needs --device cuda; "
        "not with --scratch)",
    )

    def check_combinations(args):
        """The usage errors that involve two arguments, found once all are parsed."""
        if args.cuda_graph and args.device != "cuda":
            parser.error("--cuda-graph needs --device cuda")
        if args.cuda_graph and args.scratch:
            parser.error("--cuda-graph trains the concise model; it cannot record --scratch")
        if args.scratch and (args.momentum != 0 or args.schedule != "constant"):
            parser.error("--momentum and --schedule need the concise model, not --scratch")
        if args.plot is not None and args.predict is not None:
            if args.plot.resolve() == args.predict.resolve():
                parser.error(f"--plot and --predict name the same file, {str(args.plot)!r}")

    parser.set_defaults(run=cli_programs.run_softmax, check_combinations=check_combinations)


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
    _add_debug(parser)
    parser.set_defaults(run=cli_programs.run_bench_report)


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
    _add_debug(parser)
    parser.set_defaults(run=cli_programs.run_verify)


def build_parser():
    """The argument parser of ``minitorch-lr``, one subparser per subcommand."""
    parser = _Parser(
        prog="minitorch-lr",
        description="Chapter 3 of Dive into Deep Learning, on minitorch_lr.",
    )
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_linreg(subcommands)
    _add_softmax(subcommands)
    _add_verify(subcommands)
    _add_bench_report(subcommands)
    return parser


def main(argv=None):
    """Run ``minitorch-lr`` with ``argv`` (default: ``sys.argv[1:]``); return the exit code.

    Every exit is a return, usage errors (2) and ``--help`` (0) included, so that each
    ends the same way: with the JSON line under ``--json``.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    report = Report("minitorch-lr", as_json=asks_for_json(argv))
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if check_combinations := getattr(args, "check_combinations", None):
            check_combinations(args)
    except _UsageError as usage:
        # As argparse itself reports it: the usage, then "PROG: error: MESSAGE".
        usage.parser.print_usage(sys.stderr)
        print(f"{usage.parser.prog}: error: {usage.message}", file=sys.stderr)
        return report.end(EXIT_USAGE, usage.message)
    except SystemExit as help_exit:  # --help printed the help and asked to exit
        return report.end(help_exit.code or EXIT_OK)
    report.prog = f"minitorch-lr {args.command}"
    return cli_programs.run(args, report)
