"""pytest-benchmark settings for the suite: devices, threads, smoke mode, the machine.

The suite lives outside the default test run; run it by naming the folder::

    python -m pytest benchmarks --benchmark-json=results.json
    python -m minitorch_lr bench-report results.json --out DIR

On a shared machine, run it several times and give the report every file: it shows
minitorch_lr's ratios of each run and their median (docs/benchmarks.md is made so).

Every benchmark records, in its ``extra_info``, what the report needs: the case, the
device, the implementation, the implementation it is compared with (``baseline``), the
batch size and how many samples one timed call processes. The report computes
samples per second from those, never from test names. Each benchmark's group is
"case | device | batch B", so the implementations of one case sit side by side.

Options:
    --bench-threads N: ``torch.set_num_threads(N)`` for the whole run (default 1: steady
        figures on a shared machine, comparable between machines; recorded in the JSON).
    --bench-smoke: a fast run that only proves the suite still works (CI): 8,192 instead
        of 60,000 softmax examples, one timed round per benchmark.
        Its figures mean nothing.
"""

import os
import platform

import pytest
import torch

__all__ = ["DEVICES", "synchronize"]

SOFTMAX_EXAMPLES = 60_000
# Large enough for one batch of the largest batch size the suite times (8192).
SMOKE_SOFTMAX_EXAMPLES = 8_192

DEVICES = [
    pytest.param("cpu"),
    pytest.param(
        "cuda",
        marks=[
            pytest.mark.cuda,
            pytest.mark.skipif(
                not torch.cuda.is_available(),
                reason="needs a CUDA device: torch.cuda.is_available() is False",
            ),
        ],
    ),
]


def pytest_addoption(parser):
    group = parser.getgroup("minitorch_lr benchmarks")
    group.addoption(
        "--bench-threads",
        type=int,
        default=1,
        metavar="N",
        help="torch.set_num_threads(N) for the whole run (default: 1)",
    )
    group.addoption(
        "--bench-smoke",
        action="store_true",
        help="small data and one round per benchmark: checks the suite runs, measures nothing",
    )


def pytest_collect_file(file_path, parent):
    # The suite's files are named bench_*.py so that a plain `pytest` never mistakes them
    # for tests; inside this folder they are collected like test modules.
    if file_path.suffix == ".py" and file_path.name.startswith("bench_"):
        return pytest.Module.from_parent(parent, path=file_path)
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    threads = config.getoption("bench_threads")
    if threads < 1:
        raise pytest.UsageError(f"--bench-threads must be at least 1, got {threads}")
    torch.set_num_threads(threads)
    if config.getoption("bench_smoke"):
        # Set before pytest-benchmark reads its options (tryfirst): one round each.
        config.option.benchmark_min_rounds = 1
        config.option.benchmark_max_time = "0"
        config.option.benchmark_warmup = False


def pytest_benchmark_update_machine_info(config, machine_info):
    """Name the devices and the software in the JSON, for the report's header."""
    cuda = torch.cuda.is_available()
    machine_info["minitorch_lr"] = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "cpu_count": os.cpu_count(),
        "smoke": config.getoption("bench_smoke"),
        "devices": {
            "cpu": cpu_model(),
            **({"cuda": torch.cuda.get_device_name()} if cuda else {}),
        },
        "cuda_version": torch.version.cuda if cuda else None,
    }


def pytest_benchmark_update_json(config, benchmarks, output_json):
    """Keep each benchmark's statistics, drop the time of every single round.

    The report needs only the statistics, and the rounds of fast cases run to tens of
    thousands per benchmark (tens of MB of JSON on a GPU).
    """
    for benchmark in output_json["benchmarks"]:
        benchmark["stats"].pop("data", None)


def cpu_model():
    """The CPU's model name from /proc/cpuinfo (Linux), else what ``platform`` knows."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def synchronize(device):
    """Wait until ``device`` has finished its queued work (a no-op on the CPU)."""
    if torch.device(device).type == "cuda":
        torch.cuda.synchronize(device)


@pytest.fixture(scope="session")
def softmax_examples(pytestconfig):
    """How many synthetic Fashion-MNIST-shaped examples the softmax cases use."""
    return SMOKE_SOFTMAX_EXAMPLES if pytestconfig.getoption("bench_smoke") else SOFTMAX_EXAMPLES


@pytest.fixture
def measure(benchmark):
    """``measure(fn, case=..., device=..., impl=..., ...)``: time ``fn()``, labelled.

    The device is synchronised inside the timed function, so a GPU's queued kernels count
    in the time of the call that queued them. One untimed call first keeps lazy set-up
    (first kernel launches, allocator growth, worker start-up code paths) out of the
    figures. Returns what the last timed call of ``fn`` returned.
    """

    def run(
        fn,
        *,
        case,
        description,
        device,
        impl,
        samples,
        batch_size=None,
        baseline="torch.nn",
        unit="samples",
    ):
        benchmark.group = f"{case} | {device}" + (
            "" if batch_size is None else f" | batch {batch_size}"
        )
        benchmark.extra_info.update(
            case=case,
            description=description,
            device=device,
            impl=impl,
            baseline=baseline,
            batch_size=batch_size,
            samples_per_call=samples,
            unit=unit,
        )

        def timed():
            result = fn()
            synchronize(device)
            return result

        timed()
        return benchmark(timed)

    return run
