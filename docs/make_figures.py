"""Make the figures of the docs with minitorch_lr's own code: ``make figures``.

    python docs/make_figures.py [--out docs/figures] [--data-dir DIR]

Every figure is drawn from numbers that minitorch_lr computes:

- ``losses.png``: the L2, L1 and Huber losses of ``minitorch_lr.nn.functional`` and their
  gradients (by autograd) against the error;
- ``linreg-network.png``: linear regression drawn as a one-layer network (a diagram);
- ``linreg-data.png``: the synthetic data of ``minitorch_lr.scratch.synthetic_data``;
- ``sgd-learning-rates.png``, ``sgd-batch-sizes.png``: the chapter's concise linear
  regression (``minitorch_lr.chapter``) trained with other learning rates and batch sizes,
  its loss over all examples recorded after every step;
- ``fashion-mnist-samples.png``: the first training images, by ``minitorch_lr.plot.show_images``;
- ``softmax-curves.png``, ``softmax-scratch-curves.png``, ``softmax-predictions.png``: the
  chapter's recipe on the real Fashion-MNIST (10 epochs, lr 0.1, batch 256), concise and
  from scratch, run by ``minitorch_lr.chapter.fit_softmax`` and drawn by
  ``minitorch_lr.plot``; the program and seeds are those of ``minitorch-lr softmax
  [--scratch]``, so that command prints the same numbers;
- ``generalisation.png``: training and test accuracy of that concise run beside those of
  the same model trained on the first 500 training images only (40 epochs, batch 50);
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
import itertools
import math
import sys
from pathlib import Path

import torch

from minitorch_lr import chapter, data, nn, optim
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


def network_figure(path):
    """Linear regression as a network: d inputs, each joined to the one output by a weight."""
    from matplotlib.patches import Circle

    figure = _figure((4.4, 3.0))
    axes = figure.subplots()
    axes.set(xlim=(-0.2, 4.3), ylim=(-0.15, 3.4), aspect="equal")
    axes.axis("off")
    radius = 0.28
    inputs = {r"$x_1$": 3.0, r"$x_2$": 2.1, r"$x_d$": 0.6}
    output = (3.4, 1.8)
    for label, y in inputs.items():
        axes.add_patch(Circle((0.4, y), radius, facecolor="#dbe4ff", edgecolor="black"))
        axes.text(0.4, y, label, ha="center", va="center", fontsize=13)
    axes.text(0.4, 1.38, r"$\vdots$", ha="center", va="center", fontsize=15)
    axes.add_patch(Circle(output, radius, facecolor="#ffe8cc", edgecolor="black"))
    axes.text(*output, r"$o_1$", ha="center", va="center", fontsize=13)
    weights = {r"$x_1$": r"$w_1$", r"$x_2$": r"$w_2$", r"$x_d$": r"$w_d$"}
    for label, y in inputs.items():
        axes.annotate(
            "",
            xy=(output[0] - radius, output[1]),
            xytext=(0.4 + radius, y),
            arrowprops={"arrowstyle": "-|>", "color": "black", "shrinkA": 0, "shrinkB": 0},
        )
        middle_x, middle_y = 1.75, y + (output[1] - y) * 0.45
        axes.text(middle_x, middle_y + 0.12, weights[label], ha="center", fontsize=12)
    axes.text(0.4, 0.05, "input layer\n(d features)", ha="center", va="center", fontsize=10)
    axes.text(output[0], 0.95, "output layer\n(one output)", ha="center", va="center", fontsize=10)
    axes.text(
        output[0], 2.55, r"$o_1 = \sum_i w_i x_i + b$", ha="center", va="center", fontsize=12
    )
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


def _linreg_step_losses(lr, batch_size, num_steps):
    """The chapter's concise linear regression from seed 0 for ``num_steps`` steps, with
    the mean squared error over all 1,000 examples after every step."""
    generator = torch.Generator().manual_seed(0)
    features, labels = chapter.linreg_data(1000, generator=generator)
    model = chapter.linreg_concise(nn, optim, lr=lr, generator=generator)
    batches = data.load_array((features, labels), batch_size, generator=generator)
    losses = []
    while len(losses) < num_steps:
        for X, y in itertools.islice(batches, num_steps - len(losses)):
            batch_loss = model.loss(model.net(X), y)
            model.updater.zero_grad()
            batch_loss.backward()
            model.updater.step()
            with torch.no_grad():
                losses.append(float(model.loss(model.net(features), labels)))
    return losses


def sgd_learning_rates_figure(path):
    """Training loss against epochs for learning rates from too small to too large."""
    figure = _figure((6, 3.6))
    axes = figure.subplots()
    styles = ["--", "-", "-.", ":"]
    generator = torch.Generator().manual_seed(0)
    features, _ = chapter.linreg_data(1000, generator=generator)
    A = torch.cat([features, torch.ones(len(features), 1)], dim=1).double()
    largest_curvature = float(torch.linalg.eigvalsh(2 * A.T @ A / len(A)).max())
    print(f"learning rates: full-batch steps diverge above {2 / largest_curvature:.3f}")
    print("learning rates (batch 10, 300 steps): loss after each epoch of 100 steps")
    for lr, style in zip([0.003, 0.03, 0.3, 1.0], styles):
        losses = _linreg_step_losses(lr, 10, 300)
        epochs = [(step + 1) / 100 for step in range(len(losses))]
        axes.plot(epochs, losses, style, label=f"lr {lr}")
        print(f"  lr {lr}: " + ", ".join(f"{losses[i]:.3g}" for i in (99, 199, 299)))
    axes.set(
        xlabel="epoch", ylabel="training loss (MSE)", yscale="log", ylim=(5e-5, 1e6), xlim=(0, 3)
    )
    axes.grid(True)
    axes.legend(loc="upper right", ncols=2)
    figure.savefig(path, dpi=DPI)


def sgd_batch_sizes_figure(path):
    """Training loss against steps and against epochs for several batch sizes, same lr."""
    figure = _figure((9, 3.4))
    step_axes, epoch_axes = figure.subplots(1, 2, sharey=True)
    print("batch sizes (lr 0.03): loss after 300 steps and after 3 epochs")
    for batch_size, style in zip([1, 10, 100, 1000], ["-", "--", "-.", ":"]):
        per_step = _linreg_step_losses(0.03, batch_size, 300)
        step_axes.plot(range(1, 301), per_step, style, label=f"batch {batch_size}")
        steps_in_3_epochs = 3 * math.ceil(1000 / batch_size)
        per_epoch = _linreg_step_losses(0.03, batch_size, steps_in_3_epochs)
        examples_seen = [(step + 1) * batch_size / 1000 for step in range(steps_in_3_epochs)]
        epoch_axes.plot(examples_seen, per_epoch, style, label=f"batch {batch_size}")
        print(
            f"  batch {batch_size}: after 300 steps {per_step[-1]:.3g}; "
            f"after 3 epochs ({steps_in_3_epochs} steps) {per_epoch[-1]:.3g}"
        )
    step_axes.set(xlabel="step", ylabel="training loss (MSE)", yscale="log", title="per step")
    epoch_axes.set(xlabel="epoch (examples seen / 1000)", title="per epoch", xlim=(0, 3))
    for axes in (step_axes, epoch_axes):
        axes.grid(True)
        axes.legend()
    figure.savefig(path, dpi=DPI)


def samples_figure(path, root):
    X_train, y_train, _, _ = data.load_fashion_mnist(root=root)
    titles = data.get_fashion_mnist_labels(y_train[:18])
    axes = show_images(X_train[:18], 2, 9, titles=titles)
    axes[0].figure.savefig(path, dpi=DPI)


def softmax_run(name, from_scratch, root, curves_path, predictions_path=None):
    """Train with the chapter's recipe, draw the curves (and predictions); print the numbers
    and return the history."""
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
    return history


def generalisation_figure(path, root, full_history):
    """Training and test accuracy with all 60,000 training images (the concise run's
    ``full_history``) and with the first 500 only."""
    X_train, y_train, _, _ = data.load_fashion_mnist(root=root)
    generator = torch.Generator().manual_seed(0)
    _, test_iter = data.load_data_fashion_mnist(256, root=root)
    few = (X_train[:500].unsqueeze(1).to(torch.float32) / 255, y_train[:500])
    few_iter = data.ArrayLoader(few, 50, shuffle=True, generator=generator)
    _, few_history = chapter.fit_softmax(
        few_iter, test_iter, num_epochs=40, generator=generator, progress=False
    )
    figure = _figure((9, 3.4))
    panels = figure.subplots(1, 2, sharey=True)
    runs = [
        ("all 60,000 training images, batch 256", full_history),
        ("the first 500 training images, batch 50", few_history),
    ]
    print("generalisation: final train and test accuracy")
    for axes, (title, history) in zip(panels, runs):
        epochs = [record.epoch for record in history]
        train_acc = [record.train_acc for record in history]
        test_acc = [record.test_acc for record in history]
        axes.plot(epochs, train_acc, "-", label="train acc")
        axes.plot(epochs, test_acc, "--", label="test acc")
        axes.fill_between(epochs, test_acc, train_acc, alpha=0.2, label="gap")
        axes.set(xlabel="epoch", title=title, xlim=(1, epochs[-1]), ylim=(0.6, 1.0))
        axes.grid(True)
        axes.legend(loc="lower right")
        print(f"  {title}: {train_acc[-1]:.4f} and {test_acc[-1]:.4f}")
    panels[0].set(ylabel="accuracy")
    figure.savefig(path, dpi=DPI)


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
    network_figure(args.out / "linreg-network.png")
    linreg_data_figure(args.out / "linreg-data.png")
    sgd_learning_rates_figure(args.out / "sgd-learning-rates.png")
    sgd_batch_sizes_figure(args.out / "sgd-batch-sizes.png")
    try:
        samples_figure(args.out / "fashion-mnist-samples.png", args.data_dir)
    except (data.FashionMNISTNotFoundError, data.IDXError) as error:
        print(f"Fashion-MNIST figures not made: {error}", file=sys.stderr)
    else:
        concise_history = softmax_run(
            "concise",
            False,
            args.data_dir,
            args.out / "softmax-curves.png",
            args.out / "softmax-predictions.png",
        )
        softmax_run(
            "from scratch", True, args.data_dir, args.out / "softmax-scratch-curves.png"
        )
        generalisation_figure(args.out / "generalisation.png", args.data_dir, concise_history)
        recipes_figure(args.out / "recipes.png", args.data_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
