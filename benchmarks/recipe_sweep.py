"""Choosing a recipe without looking at the test set: variants scored on held-out data.

The last 10,000 of a fixed shuffle of Fashion-MNIST's 60,000 training images are held
out; each variant of the recipe trains on the other 50,000 with minitorch_lr and is
scored by its accuracy on the held-out images after the last epoch. The test set is not
read. Every variant starts from the recipe of ``python -m benchmarks.recipe`` (SGD with
momentum 0.9, learning rate 0.05, cosine over 30 epochs, batch 256) and changes one
thing. It prints one Markdown row per variant and seed, then the means.

Run from the repository root::

    python -m benchmarks.recipe_sweep
    python -m benchmarks.recipe_sweep --seeds 0 --variants recipe nesterov
"""

import argparse
import statistics

import torch

from minitorch_lr import chapter, data, nn, optim
from minitorch_lr.train import train

__all__ = ["VARIANTS", "main", "score"]

RECIPE = {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.0, "nesterov": False, "epochs": 30}
VARIANTS = {
    "recipe": {},
    "nesterov": {"nesterov": True},
    "lr 0.1": {"lr": 0.1},
    "lr 0.02": {"lr": 0.02},
    "50 epochs": {"epochs": 50},
    "weight decay 1e-4": {"weight_decay": 1e-4},
    "weight decay 3e-4": {"weight_decay": 3e-4},
    "weight decay 1e-3": {"weight_decay": 1e-3},
}
HELD_OUT = 10_000
SPLIT_SEED = 1234  # the split stays the same for every variant and seed


def split(root=None):
    """``(train_set, held_out_set)``: two pairs of (images, labels) tensors."""
    X, y, _, _ = data.load_fashion_mnist(root)
    images = (X.float() / 255).unsqueeze(1)
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(SPLIT_SEED))
    kept, held_out = order[:-HELD_OUT], order[-HELD_OUT:]
    return (images[kept], y[kept]), (images[held_out], y[held_out])


def score(variant, seed, train_set, held_out_set, batch_size=256):
    """Train one variant from ``seed``; return ``(train_loss, held_out_accuracy)``."""
    settings = {**RECIPE, **VARIANTS[variant]}
    generator = torch.Generator().manual_seed(seed)
    # The chapter's model and initialisation; its optimizer is replaced by one with every
    # setting a variant may change.
    model = chapter.softmax_concise(nn, optim, generator=generator)
    updater = optim.SGD(
        model.net.parameters(),
        lr=settings["lr"],
        momentum=settings["momentum"],
        weight_decay=settings["weight_decay"],
        nesterov=settings["nesterov"],
    )
    scheduler = optim.lr_scheduler.CosineAnnealingLR(updater, settings["epochs"])
    train_iter = data.ArrayLoader(train_set, batch_size, shuffle=True, generator=generator)
    held_out_iter = data.ArrayLoader(held_out_set, batch_size)
    history = train(
        model.net,
        train_iter,
        held_out_iter,
        model.loss,
        settings["epochs"],
        updater,
        scheduler=scheduler,
        progress=False,
    )
    return history[-1].train_loss, history[-1].test_acc


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--variants", nargs="+", choices=VARIANTS, default=list(VARIANTS))
    parser.add_argument(
        "--data-dir",
        help="the Fashion-MNIST folder (default: $MINITORCH_LR_DATA, else the usual places)",
    )
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    train_set, held_out_set = split(args.data_dir)
    print("| variant | seed | training loss | held-out accuracy |")
    print("| --- | ---: | ---: | ---: |")
    means = {}
    for variant in args.variants:
        runs = [score(variant, seed, train_set, held_out_set) for seed in args.seeds]
        for seed, (loss, accuracy) in zip(args.seeds, runs):
            print(f"| {variant} | {seed} | {loss:.4f} | {accuracy:.4f} |", flush=True)
        means[variant] = [statistics.mean(column) for column in zip(*runs)]
    for variant, (loss, accuracy) in means.items():
        print(f"| {variant} | mean | {loss:.4f} | {accuracy:.4f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
