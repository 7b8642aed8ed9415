"""The ``minitorch-lr`` command: the chapter's two models, trained from the shell.

``minitorch-lr linreg`` fits linear regression to synthetic data drawn from a known line
and reports how close the learned weights come; ``minitorch-lr softmax`` trains softmax
regression on Fashion-MNIST. Each runs the concise API (``nn``, ``optim``, ``data``) or,
with ``--scratch``, the chapter's from-scratch functions, and ``--json`` ends the output
with one JSON line for scripts. ``minitorch-lr bench-report RESULTS.json --out DIR`` turns
the benchmark suite's JSON into ``benchmarks.md`` and ``benchmarks.png``.
``python -m minitorch_lr`` is the same command.

Each subcommand is one ``_add_*`` function that declares its arguments and the function
that runs it, so a new subcommand is one more such function in :func:`build_parser`.

Exit codes: 0 on success; 1 when the run fails for a reason outside the arguments (no
Fashion-MNIST, a corrupt file, training that diverged), with one message on stderr; 2 for
bad arguments (argparse's usage error), including ``--device cuda`` without CUDA.
"""

import argparse
import json
import sys
from pathlib import Path

import torch

from . import bench_report, data, nn, optim, scratch
from .train import predict, train

__all__ = ["build_parser", "main"]

TRUE_W = (2.0, -3.4)
TRUE_B = 4.2


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return value


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:  # also rejects nan
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}")
    return value


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
            f"Fit y = Xw + b to examples drawn from w = {list(TRUE_W)}, b = {TRUE_B} plus "
            "noise of std 0.01, and print each epoch's loss over all examples (MSELoss, or "
            "the halved squared_loss under --scratch) and the error in w and b."
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


def build_parser():
    """The argument parser of ``minitorch-lr``, one subparser per subcommand."""
    parser = argparse.ArgumentParser(
        prog="minitorch-lr",
        description="Chapter 3 of Dive into Deep Learning, on minitorch_lr.",
    )
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_linreg(subcommands)
    _add_softmax(subcommands)
    bench_report.add_bench_report_parser(subcommands)
    return parser


def _fit_linreg_concise(features, labels, args, generator):
    net = nn.Sequential(nn.Linear(2, 1, device=features.device))
    nn.init.normal_(net[0].weight, std=0.01, generator=generator)
    nn.init.zeros_(net[0].bias)
    loss = nn.MSELoss()
    trainer = optim.SGD(net.parameters(), lr=args.lr)
    data_iter = data.load_array((features, labels), args.batch_size, generator=generator)
    losses = []
    for _ in range(args.epochs):
        for X, y in data_iter:
            batch_loss = loss(net(X), y)
            trainer.zero_grad()
            batch_loss.backward()
            trainer.step()
        with torch.no_grad():
            losses.append(float(loss(net(features), labels)))
    return net[0].weight.detach().reshape(-1), net[0].bias.detach(), losses


def _fit_linreg_scratch(features, labels, args, generator):
    w = torch.normal(0, 0.01, (2, 1), generator=generator, device=features.device)
    w.requires_grad_()
    b = torch.zeros(1, device=features.device, requires_grad=True)
    # data_iter shuffles on the CPU, whatever the device of the tensors.
    order_generator = torch.Generator().manual_seed(args.seed)
    losses = []
    for _ in range(args.epochs):
        for X, y in scratch.data_iter(args.batch_size, features, labels, order_generator):
            scratch.squared_loss(scratch.linreg(X, w, b), y).sum().backward()
            scratch.sgd([w, b], args.lr, len(y))
        with torch.no_grad():
            losses.append(
                float(scratch.squared_loss(scratch.linreg(features, w, b), labels).mean())
            )
    return w.detach().reshape(-1), b.detach(), losses


def _run_linreg(args):
    device = torch.device(args.device)
    generator = torch.Generator(device=device).manual_seed(args.seed)
    true_w = torch.tensor(TRUE_W, device=device)
    features, labels = scratch.synthetic_data(
        true_w, TRUE_B, args.num_examples, generator=generator
    )
    fit = _fit_linreg_scratch if args.scratch else _fit_linreg_concise
    w, b, losses = fit(features, labels, args, generator)
    for epoch, epoch_loss in enumerate(losses, start=1):
        print(f"epoch {epoch}, loss {epoch_loss:f}")
    w_error = (true_w - w).tolist()
    b_error = TRUE_B - float(b)
    print(f"error in w: {w_error}")
    print(f"error in b: {b_error}")
    if args.json:
        result = {
            "w": w.tolist(),
            "b": float(b),
            "w_error": w_error,
            "b_error": b_error,
            "loss": losses[-1],
        }
        print(json.dumps(result))
    return 0


def _softmax_concise(args, generator, device):
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10, device=device))
    nn.init.normal_(net[1].weight, std=0.01, generator=generator)
    nn.init.zeros_(net[1].bias)
    return net, nn.CrossEntropyLoss(), optim.SGD(net.parameters(), lr=args.lr)


def _softmax_scratch(args, generator, device):
    W = torch.normal(0, 0.01, (784, 10), generator=generator, device=device).requires_grad_()
    b = torch.zeros(10, device=device, requires_grad=True)

    def net(X):
        return scratch.softmax(X.reshape(-1, 784) @ W + b)

    def updater(batch_size):
        scratch.sgd([W, b], args.lr, batch_size)

    return net, scratch.cross_entropy, updater


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
    build = _softmax_scratch if args.scratch else _softmax_concise
    net, loss, updater = build(args, generator, device)
    try:
        history = train(
            net,
            train_iter,
            test_iter,
            loss,
            args.epochs,
            updater,
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
        true_labels, predicted_labels = predict(net, test_iter, path=args.predict)
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
    return args.run(args)
