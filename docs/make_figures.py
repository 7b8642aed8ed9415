"""Make the figures of the docs with minitorch_lr's own code: ``make figures``.

    python docs/make_figures.py [--out docs/figures] [--data-dir DIR]

Every figure is drawn from numbers that minitorch_lr computes:

- ``losses.png``: the L2, L1 and Huber losses of ``minitorch_lr.nn.functional`` and their
  gradients (by autograd) against the error;
- ``linreg-data.png``: the synthetic data of ``minitorch_lr.scratch.synthetic_data``;
- ``fashion-mnist-samples.png``: the first training images, by ``minitorch_lr.plot.show_images``;
- ``softmax-curves.png``, ``softmax-scratch-curves.png``, ``softmax-predictions.png``: the
  chapter's recipe on the real Fashion-MNIST (10 epochs, lr 0.1, batch 256), concise and
  from scratch, run by ``minitorch_lr.chapter.fit_softmax`` and drawn by
  ``minitorch_lr.plot``; the program and seeds are those of ``minitorch-lr softmax
  [--scratch]``, so that command prints the same numbers;
- ``recipes.png``: the chapter's recipe beside the one beyond it (momentum 0.9, lr 0.05
  annealed along a cosine over 30 epochs), both by ``minitorch_lr.chapter.fit_softmax``
  from seed 0: training loss, test accuracy and learning rate per epoch. ``minitorch-lr
  softmax [--momentum 0.9 --schedule cosine --epochs 30 --lr 0.05]`` prints the same.

The numbers quoted on the tutorial pages are the ones this script prints. Fashion-MNIST is
found (or downloaded) as ``minitorch_lr.data.load_fashion_mnist`` does; without it the
real-data figures are skipped with a message, and the others are still made.

The benchmark plot is not made here: ``minitorch-lr bench-report`` draws it with the report
it illustrates (``docs/benchmarks.md``, ``docs/benchmarks.png``), from the results in
``docs/results/``, and ``make figures`` runs that command too.
"""

import argparse
import sys
from pathlib import Path

import torch

from minitorch_lr import chapter, data
from minitorch_lr.nn import functional as F
from minitorch_lr.plot import Animator, show_images
from minitorch_lr.train.predict import prediction_titles

__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent
DPI = 150


def _figure(figsize):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def losses_figure(path):
    """The three regression losses of one example, and their gradients, against the error."""
    error = torch.linspace(-3, 3, 601, dtype=torch.float64, requires_grad=True)
    zero = torch.zeros_like(error)
    curves = {
        "L2: mse_loss": F.mse_loss(error, zero, reduction="none"),
        "L1: l1_loss": F.l1_loss(error, zero, reduction="none"),
        "Huber: huber_loss, delta=1": F.huber_loss(error, zero, reduction="none", delta=1.0),
    }
    figure = _figure((9, 3.4))
    loss_axes, grad_axes = figure.subplots(1, 2)
    for (label, losses), style in zip(curves.items(), ["-", "--", "-."]):
        (gradient,) = torch.autograd.grad(losses.sum(), error)
        x = error.detach().numpy()
        loss_axes.plot(x, losses.detach().numpy(), style, label=label)
        grad_axes.plot(x, gradient.numpy(), style, label=label)
    loss_axes.set(xlabel="error  x - y", ylabel="loss", ylim=(0, 4), title="loss")
    grad_axes.set(xlabel="error  x - y", ylabel="d loss / d x", title="gradient (autograd)")
    for axes in (loss_axes, grad_axes):
        axes.grid(True)
        axes.legend()
    figure.savefig(path, dpi=DPI)


def linreg_data_figure(path):
    """The second feature against the label, for the data of the linear-regression page."""
    generator = torch.Generator().manual_seed(0)
    features, labels = chapter.linreg_data(1000, generator=generator)
    figure = _figure((4.5, 3.2))
    axes = figure.subplots()
    axes.scatter(features[:, 1].numpy(), labels[:, 0].numpy(), s=2)
    axes.set(xlabel=f"feature 2 (true weight {chapter.TRUE_W[1]})", ylabel="label y")
    axes.grid(True)
    figure.savefig(path, dpi=DPI)


def samples_figure(path, root):
    X_train, y_train, _, _ = data.load_fashion_mnist(root=root)
    titles = data.get_fashion_mnist_labels(y_train[:18])
    axes = show_images(X_train[:18], 2, 9, titles=titles)
    axes[0].figure.savefig(path, dpi=DPI)


def softmax_run(name, from_scratch, root, curves_path, predictions_path=None):
    """Train with the chapter's recipe, draw the curves (and predictions); print the numbers."""
    generator = torch.Generator().manual_seed(0)
    train_iter, test_iter = data.load_data_fashion_mnist(256, root=root, generator=generator)
    model, history = chapter.fit_softmax(
        train_iter, test_iter, from_scratch=from_scratch, generator=generator, progress=False
    )
    net = model.net
    animator = Animator(
        xlabel="epoch",
        xlim=[1, 10],
        legend=["train loss", "train acc", "test acc"],
        figsize=(5, 3.3),
    )
    for record in history:
        animator.add(record.epoch, (record.train_loss, record.train_acc, record.test_acc))
    animator.fig.savefig(curves_path, dpi=DPI)
    print(f"{name}: 10 epochs, lr 0.1, batch 256, seed 0")
    for record in history:
        print(
            f"  epoch {record.epoch:2d}  loss {record.train_loss:.4f}  train acc "
            f"{record.train_acc:.4f}  test acc {record.test_acc:.4f}  ({record.seconds:.2f} s)"
        )
    print(f"  total {sum(record.seconds for record in history):.1f} s")
    if predictions_path is not None:
        # What minitorch_lr.train.predict draws, for eight images and at the page's resolution.
        X, y = next(iter(test_iter))
        X, y = X[:8], y[:8]
        with torch.no_grad():
            predicted = net(X).argmax(dim=1)
        true_labels = data.get_fashion_mnist_labels(y)
        predicted_labels = data.get_fashion_mnist_labels(predicted)
        titles = prediction_titles(true_labels, predicted_labels)
        axes = show_images(X, 1, len(X), titles=titles, scale=1.8)
        axes[0].figure.savefig(predictions_path, dpi=DPI)
        wrong = sum(true != guess for true, guess in zip(true_labels, predicted_labels))
        print(f"  first {len(X)} test images: {wrong} wrong")


RECIPES = {
    "chapter: SGD, lr 0.1, 10 epochs": {"lr": 0.1, "num_epochs": 10},
    "momentum 0.9, lr 0.05 cosine, 30 epochs": {
        "lr": 0.05,
        "momentum": 0.9,
        "schedule": "cosine",
        "num_epochs": 30,
    },
}


def recipes_figure(path, root):
    """The chapter's recipe and the one beyond it, from seed 0: loss, accuracy, rate."""
    figure = _figure((10, 3.6))
    loss_axes, accuracy_axes, lr_axes = figure.subplots(1, 3)
    for (label, recipe), style in zip(RECIPES.items(), ["--", "-"]):
        generator = torch.Generator().manual_seed(0)
        train_iter, test_iter = data.load_data_fashion_mnist(256, root=root, generator=generator)
        _, history = chapter.fit_softmax(
            train_iter, test_iter, generator=generator, progress=False, **recipe
        )
        epochs = [record.epoch for record in history]
        loss_axes.plot(epochs, [record.train_loss for record in history], style, label=label)
        accuracy_axes.plot(epochs, [record.test_acc for record in history], style, label=label)
        lr_axes.plot(epochs, [record.lr for record in history], style, label=label)
        print(f"{label}, seed 0:")
        for record in history:
            print(
                f"  epoch {record.epoch:2d}  lr {record.lr:.5f}  loss {record.train_loss:.4f}  "
                f"train acc {record.train_acc:.4f}  test acc {record.test_acc:.4f}"
            )
    loss_axes.set(xlabel="epoch", ylabel="mean training loss", title="training loss")
    accuracy_axes.set(xlabel="epoch", ylabel="accuracy", title="test accuracy", ylim=(0.78, 0.85))
    lr_axes.set(xlabel="epoch", ylabel="lr during the epoch", title="learning rate")
    for axes in (loss_axes, accuracy_axes, lr_axes):
        axes.grid(True)
    figure.legend(*loss_axes.get_legend_handles_labels(), loc="outside lower center", ncols=2)
    figure.savefig(path, dpi=DPI)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "figures")
    parser.add_argument("--data-dir", help="read Fashion-MNIST from this folder only")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    losses_figure(args.out / "losses.png")
    linreg_data_figure(args.out / "linreg-data.png")
    try:
        samples_figure(args.out / "fashion-mnist-samples.png", args.data_dir)
    except (data.FashionMNISTNotFoundError, data.IDXError) as error:
        print(f"Fashion-MNIST figures not made: {error}", file=sys.stderr)
    else:
        softmax_run(
            "concise",
            False,
            args.data_dir,
            args.out / "softmax-curves.png",
            args.out / "softmax-predictions.png",
        )
        softmax_run(
            "from scratch", True, args.data_dir, args.out / "softmax-scratch-curves.png"
        )
        recipes_figure(args.out / "recipes.png", args.data_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
