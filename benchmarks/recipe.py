"""A training recipe on the real Fashion-MNIST, minitorch_lr beside torch.nn, seed by seed.

For each seed, the same program runs twice in this one process: minitorch_lr's
(:func:`minitorch_lr.chapter.fit_softmax`: ``minitorch_lr.nn``, ``minitorch_lr.optim.SGD``
and ``minitorch_lr.optim.lr_scheduler``) and torch's (the same builder and schedule from
:mod:`minitorch_lr.chapter`, given ``torch.nn`` and ``torch.optim``, trained by the same
``train``; ``tests/test_chapter.py`` checks that the two programs agree). The order of the two
alternates from seed to seed, so that neither always runs first on a warming machine.
It prints each run's final training loss (the mean over the last epoch) and test accuracy,
and its time (training plus the evaluation after every epoch, as ``train`` measures it),
then the means over the seeds, as a Markdown table.

Run from the repository root (the defaults are the recipe beyond the chapter)::

    python -m benchmarks.recipe
    python -m benchmarks.recipe --epochs 10 --lr 0.1 --momentum 0 --schedule constant

On a shared machine the times are noisy; compare them only within one run.
"""

import argparse
import statistics

import torch

from minitorch_lr import chapter, data
from minitorch_lr.train import train

__all__ = ["main", "run_once"]

IMPLEMENTATIONS = ("minitorch_lr", "torch.nn")


def run_once(implementation, seed, args):
    """Train with the recipe of ``args`` from ``seed``; return the last epoch's
    ``(train_loss, test_acc)`` and the seconds of all epochs."""
    generator = torch.Generator().manual_seed(seed)
    train_iter, test_iter = data.load_data_fashion_mnist(
        args.batch_size, root=args.data_dir, generator=generator
    )
    recipe = {"lr": args.lr, "momentum": args.momentum}
    if implementation == "minitorch_lr":
        _, history = chapter.fit_softmax(
            train_iter,
            test_iter,
            **recipe,
            schedule=args.schedule,
            num_epochs=args.epochs,
            generator=generator,
            progress=False,
        )
    else:
        model = chapter.softmax_concise(torch.nn, torch.optim, **recipe, generator=generator)
        scheduler = chapter.lr_schedule(torch.optim, model.updater, args.schedule, args.epochs)
        history = train(
            model.net,
            train_iter,
            test_iter,
            model.loss,
            args.epochs,
            model.updater,
            scheduler=scheduler,
            progress=False,
        )
    last = history[-1]
    return last.train_loss, last.test_acc, sum(record.seconds for record in history)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--schedule", choices=chapter.SCHEDULES, default="cosine")
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument(
        "--data-dir",
        help="the Fashion-MNIST folder (default: $MINITORCH_LR_DATA, else the usual places)",
    )
    parser.add_argument(
        "--threads", type=int, help="torch.set_num_threads (default: torch's own choice)"
    )
    args = parser.parse_args(argv)
    if args.threads is not None:
        # On a CPU shared with other work, fewer threads than cores can wait less.
        torch.set_num_threads(args.threads)

    print(
        f"softmax regression, {args.epochs} epochs, lr {args.lr}, momentum {args.momentum}, "
        f"schedule {args.schedule}, batch {args.batch_size}; torch {torch.__version__}, "
        f"{torch.get_num_threads()} threads, CPU\n"
    )
    print("| seed | implementation | training loss | test accuracy | seconds |")
    print("| ---: | --- | ---: | ---: | ---: |")
    results = {implementation: [] for implementation in IMPLEMENTATIONS}
    for index, seed in enumerate(args.seeds):
        order = IMPLEMENTATIONS if index % 2 == 0 else IMPLEMENTATIONS[::-1]
        for implementation in order:
            run = run_once(implementation, seed, args)
            results[implementation].append(run)
            print(_row(seed, implementation, *run), flush=True)
    for implementation, runs in results.items():
        print(_row("mean", implementation, *map(statistics.mean, zip(*runs))))
    return 0


def _row(seed, implementation, train_loss, test_acc, seconds):
    return f"| {seed} | {implementation} | {train_loss:.4f} | {test_acc:.4f} | {seconds:.2f} |"


if __name__ == "__main__":
    raise SystemExit(main())
