"""What limits a small model's speed on a CPU: the figures behind docs/speed.md.

For one training step of softmax regression (784 -> 10), with minitorch_lr and with
torch.nn, this measures side by side in one run:

- the time of a step, and how many aten operators it runs (torch.profiler's count);
- the time of the step's two matrix products alone, ``X @ W.T`` and ``grad.T @ X``, which
  any implementation must do, and so what is left for everything else;
- the rate those products reach (GFLOP/s) against a square product on the same core;
- the fixed cost of one tiny operator, where the arithmetic is nothing;
- minitorch_lr's step at 1 and at 2 threads.

Times are the median of several repeats of a block of steps; the machine's noise moves
them by some percent, so read the shares and ratios, not the last digit. Run from the
repository root::

    python -m benchmarks.speed_limits
    python -m benchmarks.speed_limits --json docs/results/speed-limits/run-1.json
"""

import argparse
import functools
import json
import os
import statistics
import time

import torch
from torch.profiler import ProfilerActivity, profile

from benchmarks.conftest import cpu_model
from benchmarks.models import softmax_data, softmax_model

__all__ = ["main", "measure"]

IMPLS = ("minitorch_lr", "torch.nn")
BATCHES = (256, 8192)


def median_seconds(fn, calls, repeats=7):
    """The median over ``repeats`` of the time of ``calls`` calls of ``fn``, per call."""
    fn()  # warm up: the first call allocates
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - start) / calls)
    return statistics.median(times)


def calls_for(batch_size):
    """Enough calls per repeat that one repeat takes some tens of milliseconds."""
    return max(5, 50_000 // batch_size)


def operators_per_step(step, images, labels, steps=20):
    """How many aten operators one step runs, nested calls included."""
    with profile(activities=[ProfilerActivity.CPU]) as profiler:
        for _ in range(steps):
            step(images, labels)
    events = profiler.key_averages()
    return sum(event.count for event in events if event.key.startswith("aten::")) / steps


def matmul_seconds(batch_size):
    """The two products of a step: the forward ``X @ W.T + b`` and the weight's gradient
    ``grad.T @ X`` (the input's gradient is not needed, so neither library computes it)."""
    X = torch.rand(batch_size, 784)
    W, b = torch.rand(10, 784), torch.rand(10)
    grad = torch.rand(batch_size, 10)
    return median_seconds(
        lambda: (torch.addmm(b, X, W.t()), grad.t().mm(X)), calls_for(batch_size)
    )


def gflops(seconds, flops):
    return flops / seconds / 1e9


def step_figures(impl, batch_size):
    images, labels = softmax_data(batch_size, "cpu")
    model = softmax_model(impl, "cpu")
    step = model.step
    return {
        "step_us": median_seconds(lambda: step(images, labels), calls_for(batch_size)) * 1e6,
        "operators": operators_per_step(step, images, labels),
    }


def measure():
    """Every figure of the page, as a dictionary."""
    torch.set_num_threads(1)
    results = {"steps": [], "products": []}
    for batch_size in BATCHES:
        products = matmul_seconds(batch_size)
        flops = 2 * 2 * batch_size * 784 * 10  # two products, a multiply and an add each
        results["products"].append(
            {"batch": batch_size, "us": products * 1e6, "gflops": gflops(products, flops)}
        )
        for impl in IMPLS:
            figures = step_figures(impl, batch_size)
            figures.update(impl=impl, batch=batch_size)
            figures["products_share"] = products * 1e6 / figures["step_us"]
            results["steps"].append(figures)
    A = torch.rand(512, 512)
    square = median_seconds(lambda: A.mm(A), 20)
    results["square_gflops"] = gflops(square, 2 * 512**3)
    tiny = torch.zeros(10)
    results["tiny_op_us"] = median_seconds(lambda: tiny.add_(1.0), 20_000) * 1e6
    results["threads"] = []
    for batch_size in BATCHES:
        images, labels = softmax_data(batch_size, "cpu")
        for threads in (1, 2):
            torch.set_num_threads(threads)
            step = softmax_model("minitorch_lr", "cpu").step
            calls = calls_for(batch_size)
            seconds = median_seconds(functools.partial(step, images, labels), calls)
            results["threads"].append(
                {"batch": batch_size, "threads": threads, "step_us": seconds * 1e6}
            )
        torch.set_num_threads(1)
    results["machine"] = {"cpu": cpu_model(), "cores": os.cpu_count(), "torch": torch.__version__}
    return results


def report(results):
    """The figures as Markdown tables."""
    lines = [
        "| batch | implementation | step | aten operators | two products | everything else |",
        "| ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    products = {entry["batch"]: entry for entry in results["products"]}
    for entry in results["steps"]:
        product_us = products[entry["batch"]]["us"]
        lines.append(
            f"| {entry['batch']} | {entry['impl']} | {entry['step_us']:.0f} us "
            f"| {entry['operators']:.0f} | {product_us:.0f} us ({entry['products_share']:.0%}) "
            f"| {entry['step_us'] - product_us:.0f} us |"
        )
    lines.append("")
    for entry in results["products"]:
        lines.append(f"- products at batch {entry['batch']}: {entry['gflops']:.1f} GFLOP/s")
    lines.append(f"- square 512 x 512 product: {results['square_gflops']:.1f} GFLOP/s")
    lines.append(f"- one tiny operator (add_ on 10 numbers): {results['tiny_op_us']:.2f} us")
    for entry in results["threads"]:
        lines.append(
            f"- minitorch_lr step at batch {entry['batch']}, {entry['threads']} thread(s): "
            f"{entry['step_us']:.0f} us"
        )
    machine = results["machine"]
    lines.append(f"- {machine['cpu']}, {machine['cores']} cores, torch {machine['torch']}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    results = measure()
    print(report(results))
    if args.json:
        with open(args.json, "w") as file:
            json.dump(results, file, indent=2)


if __name__ == "__main__":
    main()
