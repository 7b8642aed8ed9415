"""GPU check of the CUDA-graph epoch: equality with the eager loop, then eager against graph.

Softmax regression as in the chapter (Flatten + Linear(784, 10), cross-entropy, SGD with
learning rate 0.1, batch 256) on 60,000 synthetic examples held on the GPU, built twice:
on minitorch_lr (``nn``, ``optim``) and on torch.nn / torch.optim.

1. Equality: three epochs of ``GraphedEpoch`` (the first eager, then two replays) against
   three epochs of ``train_epoch`` over an ``ArrayLoader`` with the same seed, so over the
   same batches; the parameters must match within torch.testing's float32 defaults. With
   and without momentum, for both libraries.
2. Timing: milliseconds per epoch, median and fastest over several epochs after warm-up,
   of ``train_epoch`` (the eager loop, metrics kept on the device) and of the replayed
   graph; also the first ``GraphedEpoch`` call (an eager epoch plus the recording).
3. GPU operations (kernels, copies, fills) per step of the eager loop, counted by
   ``torch.profiler``: inside a graph the host no longer matters, these do.

Run from the root of the tree, with a CUDA device (sized to take about a minute)::

    OUT=results PYTHONPATH=. python benchmarks/gpu_cuda_graph.py

It writes ``gpu_cuda_graph.json`` and ``gpu_cuda_graph.md`` into the folder ``$OUT``,
naming the device and the torch version. A part that raises is reported there as the
text of its error, and the other parts still run. Exit status: 0; 1 with a message and
nothing measured, without a CUDA device or without ``OUT``; 2 when an equality check
failed or could not run (the summary is written all the same).
"""

import json
import os
import statistics
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

import torch

import minitorch_lr.nn
import minitorch_lr.optim
from minitorch_lr import chapter
from minitorch_lr.data import ArrayLoader
from minitorch_lr.train import train_epoch
from minitorch_lr.train.graph import GraphedEpoch

LIBRARIES = {
    "minitorch_lr": (minitorch_lr.nn, minitorch_lr.optim),
    "torch.nn": (torch.nn, torch.optim),
}
NUM_EXAMPLES, NUM_INPUTS, NUM_CLASSES = 60_000, 784, 10
BATCH_SIZE = 256
LR = chapter.SOFTMAX_LR
EQUALITY_EPOCHS = 3
WARMUP_EPOCHS = 2
TIMED_EAGER_EPOCHS = 10
TIMED_GRAPH_EPOCHS = 30  # a replayed epoch is short: more of them for a steady median


def synthetic_data(device):
    """Standard-normal features; each label is the largest of 10 scores of a random
    linear teacher, so that the accuracy means something."""
    generator = torch.Generator(device).manual_seed(0)
    features = torch.randn((NUM_EXAMPLES, NUM_INPUTS), generator=generator, device=device)
    teacher = torch.randn((NUM_INPUTS, NUM_CLASSES), generator=generator, device=device)
    return features, (features @ teacher).argmax(dim=1)


def build(library, device, momentum=0.0):
    """The chapter's concise model: (net, loss, optimizer), weights N(0, 0.01^2) from a
    fixed seed, so that every call starts from the same parameters."""
    nn, optim = LIBRARIES[library]
    generator = torch.Generator(device).manual_seed(0)
    model = chapter.softmax_concise(nn, optim, lr=LR, device=device, generator=generator)
    optimizer = optim.SGD(model.net.parameters(), lr=LR, momentum=momentum)
    return model.net, nn.CrossEntropyLoss(reduction="none"), optimizer


def seeded(device):
    return torch.Generator(device).manual_seed(1)


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_epochs(run_epoch, repeats, device):
    """Milliseconds of each of ``repeats`` calls, the device idle before and after each."""
    times = []
    for _ in range(repeats):
        synchronize(device)
        start = time.perf_counter()
        run_epoch()
        synchronize(device)
        times.append((time.perf_counter() - start) * 1e3)
    return times


def check_equality(library, momentum, features, labels):
    device = features.device
    net, loss, optimizer = build(library, device, momentum)
    reference, _, reference_optimizer = build(library, device, momentum)
    epoch = GraphedEpoch(
        net, loss, optimizer, features, labels, BATCH_SIZE, generator=seeded(device)
    )
    loader = ArrayLoader((features, labels), BATCH_SIZE, shuffle=True, generator=seeded(device))
    epochs = []
    for _ in range(EQUALITY_EPOCHS):
        graph_metrics = epoch()
        eager_metrics = train_epoch(reference, loader, loss, reference_optimizer)
        pairs = list(zip(net.parameters(), reference.parameters()))
        try:
            for param, expected in pairs:
                torch.testing.assert_close(param.detach(), expected.detach())
            equal = True
        except AssertionError:
            equal = False
        difference = max(
            float((param - expected).detach().abs().max()) for param, expected in pairs
        )
        epochs.append(
            {
                "graph (loss, acc)": graph_metrics,
                "eager (loss, acc)": eager_metrics,
                "max |param difference|": difference,
                "equal": equal,
            }
        )
    return {
        "library": library,
        "momentum": momentum,
        "epochs": epochs,
        "equal": all(entry["equal"] for entry in epochs),
    }


def time_eager(library, features, labels):
    device = features.device
    net, loss, optimizer = build(library, device)
    loader = ArrayLoader((features, labels), BATCH_SIZE, shuffle=True, generator=seeded(device))

    def run_epoch():
        train_epoch(net, loader, loss, optimizer)

    time_epochs(run_epoch, WARMUP_EPOCHS, device)
    return summarize(time_epochs(run_epoch, TIMED_EAGER_EPOCHS, device))


def time_graph(library, features, labels):
    device = features.device
    net, loss, optimizer = build(library, device)
    epoch = GraphedEpoch(
        net, loss, optimizer, features, labels, BATCH_SIZE, generator=seeded(device)
    )
    [first] = time_epochs(epoch, 1, device)
    time_epochs(epoch, WARMUP_EPOCHS, device)
    replays = summarize(time_epochs(epoch, TIMED_GRAPH_EPOCHS, device))
    return {**replays, "first call (eager epoch + recording)": first}


def gpu_operations_per_step(library, features, labels):
    """GPU operations of one eager epoch, per step, or why they could not be counted.

    The profiler's CUDA side needs CUPTI, which an install may lack: whatever it raises is
    reported in the summary rather than losing the figures measured before it.
    """
    device = features.device
    net, loss, optimizer = build(library, device)
    loader = ArrayLoader((features, labels), BATCH_SIZE, shuffle=True, generator=seeded(device))
    train_epoch(net, loader, loss, optimizer)
    try:
        activities = [torch.profiler.ProfilerActivity.CUDA]
        with torch.profiler.profile(activities=activities) as profiler:
            train_epoch(net, loader, loss, optimizer)
            synchronize(device)
        events = profiler.key_averages()
    except Exception as error:
        return f"not counted: {type(error).__name__}: {error}"
    count = sum(
        event.count for event in events if event.device_type == torch.autograd.DeviceType.CUDA
    )
    if count == 0:
        return "not counted: the profiler recorded no GPU events"
    return count / len(loader)


def summarize(times):
    return {"median": statistics.median(times), "fastest": min(times), "all": times}


def attempt(measurement, *args):
    """``measurement(*args)``, or the error it raised as text: one failing part (a
    recording that fails, say) must not lose the figures of the others."""
    try:
        return measurement(*args)
    except Exception as error:
        traceback.print_exc()
        return f"failed: {type(error).__name__}: {error}"


def measure(device):
    features, labels = synthetic_data(device)
    equality = []
    for library in LIBRARIES:
        for momentum in (0.0, 0.9):
            print(f"equality: {library}, momentum {momentum}", flush=True)
            check = attempt(check_equality, library, momentum, features, labels)
            if isinstance(check, str):
                check = {"library": library, "momentum": momentum, "epochs": [], "equal": check}
            equality.append(check)
    timings = {}
    for library in LIBRARIES:
        print(f"timing: {library}", flush=True)
        timings[library] = {
            "eager": attempt(time_eager, library, features, labels),
            "graph": attempt(time_graph, library, features, labels),
            "gpu operations per eager step": gpu_operations_per_step(library, features, labels),
        }
    torch_eager = timings["torch.nn"]["eager"]
    for timing in timings.values():
        graph = timing["graph"]
        if isinstance(torch_eager, dict) and isinstance(graph, dict):
            speedup = torch_eager["median"] / graph["median"]
            timing["torch.nn eager / graph"] = speedup
            timing["targets met (>= 8x torch.nn eager, <= 10 ms)"] = (
                speedup >= 8 and graph["median"] <= 10
            )
    return {
        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else str(device),
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "setup": (
            f"softmax regression {NUM_INPUTS} -> {NUM_CLASSES}, {NUM_EXAMPLES:,} synthetic "
            f"examples on the device, batch {BATCH_SIZE}, SGD lr {LR}; milliseconds per "
            f"epoch over {TIMED_EAGER_EPOCHS} eager and {TIMED_GRAPH_EPOCHS} replayed "
            f"epochs after {WARMUP_EPOCHS} warm-up epochs"
        ),
        "equality": equality,
        "timings_ms": timings,
    }


def cell(result, key, spec):
    """One table cell: ``result[key]`` formatted, or ``result`` itself when it is the text
    of a failure."""
    return result if isinstance(result, str) else format(result[key], spec)


def markdown(summary):
    lines = [
        "# CUDA-graph epoch on the GPU",
        "",
        f"{summary['device']}, torch {summary['torch']} (CUDA {summary['cuda']}), "
        f"{summary['date']}. {summary['setup']}.",
        "",
        "| library | eager ms/epoch | graph ms/epoch | first graph call ms | "
        "torch.nn eager / graph | GPU ops per eager step |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for library, timing in summary["timings_ms"].items():
        operations = timing["gpu operations per eager step"]
        speedup = timing.get("torch.nn eager / graph")
        lines.append(
            f"| {library} | {cell(timing['eager'], 'median', '.1f')} "
            f"| {cell(timing['graph'], 'median', '.2f')} "
            f"| {cell(timing['graph'], 'first call (eager epoch + recording)', '.0f')} "
            f"| {'-' if speedup is None else f'{speedup:.1f}x'} "
            f"| {operations if isinstance(operations, str) else f'{operations:.1f}'} |"
        )
    lines += [
        "",
        "Medians; the fastest epochs are in the JSON file.",
        "",
        "| equality check | momentum | max abs parameter difference, per epoch | equal |",
        "| --- | --- | --- | --- |",
    ]
    for check in summary["equality"]:
        differences = ", ".join(
            f"{entry['max |param difference|']:.1e}" for entry in check["epochs"]
        )
        lines.append(
            f"| {check['library']} | {check['momentum']} | {differences} | {check['equal']} |"
        )
    return "\n".join(lines) + "\n"


def write_summary(folder, summary):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "gpu_cuda_graph.json").write_text(json.dumps(summary, indent=2) + "\n")
    (folder / "gpu_cuda_graph.md").write_text(markdown(summary))


def main():
    if not torch.cuda.is_available():
        sys.exit(
            "gpu_cuda_graph.py needs a CUDA device, and torch.cuda.is_available() is False: "
            "nothing was measured"
        )
    out = os.environ.get("OUT")
    if not out:
        sys.exit("set OUT to the folder for the summary, e.g. OUT=results")
    summary = measure(torch.device("cuda"))
    write_summary(Path(out), summary)
    print(markdown(summary))
    if not all(check["equal"] is True for check in summary["equality"]):
        print("an equality check failed: see the table above", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
