"""Where a training step's time goes: torch.profiler on minitorch_lr and torch.nn.

Profiles ``steps`` training steps of softmax regression (784 -> 10, the suite's model) for
each implementation and prints, per implementation, the operators sorted by their own
(self) host time, with how often each ran per step. On a GPU the host time is what
matters at small batches: the GPU waits while Python issues each operation.

Run from the repository root::

    python -m benchmarks.profile_step --device cpu --batch-size 256
    python -m benchmarks.profile_step --device cuda --batch-size 256 --row-limit 30
"""

import argparse

import torch
from torch.profiler import ProfilerActivity, profile

from benchmarks.conftest import synchronize
from benchmarks.models import softmax_data, softmax_model

__all__ = ["main", "profile_step"]


def profile_step(impl, device, batch_size, steps, row_limit):
    """Print the operator table of ``steps`` training steps of ``impl``.

    The profiler's own overhead inflates every time in it: compare shares and counts
    here, and take times per step from the suite.
    """
    images, labels = softmax_data(batch_size, device)
    model = softmax_model(impl, device)
    for _ in range(20):  # warm up: first calls allocate and load kernels
        model.step(images, labels)
    synchronize(device)
    activities = [ProfilerActivity.CPU]
    if device == "cuda":
        activities.append(ProfilerActivity.CUDA)
    with profile(activities=activities) as profiler:
        for _ in range(steps):
            model.step(images, labels)
        synchronize(device)
    events = profiler.key_averages()
    ops_per_step = sum(event.count for event in events if event.key.startswith("aten::")) / steps
    print(f"== {impl} on {device}, batch {batch_size}, {steps} steps")
    print(f"   aten operators per step (nested calls included): {ops_per_step:.1f}")
    print(events.table(sort_by="self_cpu_time_total", row_limit=row_limit))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    parser.add_argument("--row-limit", type=int, default=20)
    parser.add_argument("--impl", nargs="+", default=["minitorch_lr", "torch.nn"])
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    for impl in args.impl:
        profile_step(impl, args.device, args.batch_size, args.steps, args.row_limit)


if __name__ == "__main__":
    main()
