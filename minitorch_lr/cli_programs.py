"""What each ``minitorch-lr`` subcommand does once its arguments are parsed.

Each ``run_*`` function runs one program of :mod:`minitorch_lr.chapter` (or the benchmark
report) and prints what it finds through a :class:`~minitorch_lr.cli_output.Report`: each
epoch's line as soon as the epoch ends, the results into the JSON line. :func:`run`
calls one and turns how it ended into an exit code: a failure the user can act on
becomes one line (what it is, what to do), an interrupt says how many epochs were done.

Only :mod:`minitorch_lr.cli` imports this file; it parses no arguments itself. Left out:
retrying, logging to files, and any output format but the lines and the JSON line.
"""

import os
import traceback
from contextlib import ExitStack

import torch

from . import _checks, chapter, data
from ._folders import created_folders
from .cli_output import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, describe_os_error
from .data.fashion_mnist_places import Wording
from .train import predict

__all__ = ["run", "run_bench_report", "run_linreg", "run_softmax", "run_verify"]

# How a missing-data error names this command's options.
COMMAND_LINE_WORDING = Wording(
    "--data-dir", "pass --data-dir DIR", "--no-download", "run without --no-download"
)


def run_linreg(args, report):
    """``minitorch-lr linreg``: fit, print each epoch's loss as it ends, then the errors."""
    report.fields.update(
        epochs=0, loss=None, w=None, b=None, w_error=None, b_error=None, diverged=False
    )

    def on_epoch(epoch, loss):
        # The results first, the line last: an interrupt that follows the line (as one
        # sent on seeing it does) finds both, so that they always agree.
        report.fields.update(epochs=epoch, loss=loss)
        report.say(f"epoch {epoch}, loss {loss:f}")

    result = chapter.fit_linreg(
        from_scratch=args.scratch,
        num_examples=args.num_examples,
        lr=args.lr,
        batch_size=args.batch_size,
        num_epochs=args.epochs,
        seed=args.seed,
        device=args.device,
        on_epoch=on_epoch,
    )
    w_error = [truth - learned for truth, learned in zip(chapter.TRUE_W, result.w.tolist())]
    b_error = chapter.TRUE_B - result.b
    report.say(f"error in w: {w_error}")
    report.say(f"error in b: {b_error}")
    report.fields.update(w=result.w.tolist(), b=result.b, w_error=w_error, b_error=b_error)


def run_softmax(args, report):
    """``minitorch-lr softmax``: check the outputs, find the data (saying where), train,
    printing each epoch as it ends, then save the curves and the predictions."""
    outputs = [
        _checks.writable_file(path, option, missing_folders=True)
        for path, option in [(args.plot, "--plot"), (args.predict, "--predict")]
        if path is not None
    ]
    folder = data.fashion_mnist_folder(args.data_dir, download=not args.no_download)
    report.note(f"Fashion-MNIST from {folder}")
    report.fields["data_dir"] = str(folder)
    device = torch.device(args.device)
    generator = torch.Generator(device=device).manual_seed(args.seed)
    train_iter, test_iter = data.load_data_fashion_mnist(
        args.batch_size, root=folder, device=device, generator=generator, download=False
    )
    report.fields.update(
        epochs=0, train_loss=None, train_acc=None, test_acc=None, seconds=0.0, diverged=False
    )

    def on_epoch(record):
        # The results first, the line last, as in run_linreg.
        report.fields.update(
            epochs=record.epoch,
            train_loss=record.train_loss,
            train_acc=record.train_acc,
            test_acc=record.test_acc,
            seconds=report.fields["seconds"] + record.seconds,
        )
        report.say(
            f"epoch {record.epoch}, loss {record.train_loss:.4f}, train acc "
            f"{record.train_acc:.4f}, test acc {record.test_acc:.4f} ({record.seconds:.2f} s)"
        )

    # The output folders are made now, and removed again if the run fails while empty.
    with ExitStack() as folders:
        for path in outputs:
            folders.enter_context(created_folders(path.parent))
        model, _ = chapter.fit_softmax(
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
            on_epoch=on_epoch,
        )
        if args.plot is not None:
            report.say(f"curves saved to {args.plot}")
        if args.predict is not None:
            true_labels, predicted_labels = predict(model.net, test_iter, path=args.predict)
            for true, guess in zip(true_labels, predicted_labels):
                report.say(f"true {true:<12} predicted {guess}")
            report.say(f"predictions saved to {args.predict}")


def run_bench_report(args, report):
    """``minitorch-lr bench-report``: write the Markdown report and its plot."""
    # Imported here: the report's code is tooling, loaded only by this subcommand.
    from .tools.bench_report import write_report
    from .tools.bench_results import BenchReportError

    try:
        markdown_path, image_path = write_report(args.results, args.out)
    except BenchReportError as error:
        raise _ReportFailure(str(error)) from error
    report.say(f"wrote {markdown_path} and {image_path}")


def run_verify(args, report):
    """``minitorch-lr verify``: one line per property, then the summary; returns 0 when
    every property that ran holds, 1 when one fails, 2 for a piece it cannot check."""
    # Imported here: the checks load Hypothesis, which only this subcommand needs.
    from .testing.verify import Report as VerifyReport
    from .testing.verify import VerifyUsageError, check_file

    try:
        results = check_file(args.piece, args.against)
    except VerifyUsageError as error:
        report.note(f"error: {error}")
        return EXIT_USAGE
    # Hypothesis caches what it reads in source files, by default in ./.hypothesis: kept
    # in the package's per-user cache instead, the learner's folder stays as it was.
    cache = data.fashion_mnist_files.cache_folder().parent / "hypothesis"
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(cache))
    verdicts = VerifyReport(args.piece, args.against)
    report.say(f"{args.piece} against {args.against}")
    for result in results:
        verdicts.results.append(result)
        report.say("\n".join(result.lines()))
    report.say(verdicts.summary())
    return verdicts.exit_code


class _ReportFailure(Exception):
    """A failure whose message is already the line to print."""


# Failures a user can act on: one line, exit code 1. Anything else is a bug: a traceback.
_EXPECTED_FAILURES = (data.IDXError, FloatingPointError, OSError, _ReportFailure)


def _one_line(error):
    if isinstance(error, data.FashionMNISTNotFoundError):
        return error.message(COMMAND_LINE_WORDING)
    if isinstance(error, OSError):
        return describe_os_error(error)
    return str(error)


def _interrupted(args, report):
    if "epochs" not in report.fields:
        return "interrupted"
    return f"interrupted after {report.fields['epochs']} of {args.epochs} epochs"


def run(args, report):
    """Run the subcommand that ``args`` names (``args.run``) and return its exit code,
    after printing the line and the JSON of a failure or an interrupt. A subcommand whose
    verdict is an exit code of its own (``verify``) returns it."""
    try:
        exit_code = args.run(args, report)
    except KeyboardInterrupt:
        if args.debug:
            traceback.print_exc()
        return report.fail(EXIT_INTERRUPTED, _interrupted(args, report))
    except _EXPECTED_FAILURES as error:
        if args.debug:
            traceback.print_exc()
        if isinstance(error, FloatingPointError):  # what train and fit_linreg raise
            report.fields["diverged"] = True
        return report.fail(EXIT_FAILED, _one_line(error))
    return report.end(EXIT_OK if exit_code is None else exit_code)
