"""The benchmark suite's results, read and checked: pytest-benchmark's JSON in, ``Run`` out.

``pytest benchmarks --benchmark-json=RESULTS.json`` writes one JSON file per run. The
suite records in each benchmark's ``extra_info`` what was timed (the case, the device,
the implementation and its baseline, the batch size and how many samples one timed call
processes) and, in ``machine_info``, the devices and the torch version: nothing is parsed
out of test names. :func:`load_run` checks all of it and returns a :class:`Run`, or
raises :class:`BenchReportError` naming the file and what is missing.

Left out: comparisons between runs (pytest-benchmark's own ``compare`` does that).
"""

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

__all__ = ["BenchReportError", "Result", "Run", "load_run"]

EXTRA_INFO_KEYS = ("case", "description", "device", "impl", "baseline", "samples_per_call")
STATS_KEYS = ("median", "q1", "q3", "rounds")


class BenchReportError(ValueError):
    """The results cannot be reported: unreadable, not pytest-benchmark's, or incomplete."""


@dataclass(frozen=True)
class Result:
    """One benchmark: what was timed (from ``extra_info``) and its times in seconds."""

    case: str
    description: str
    device: str
    impl: str
    baseline: str
    batch_size: int | None
    samples_per_call: float
    unit: str
    median: float
    q1: float
    q3: float
    rounds: int

    @property
    def throughput(self):
        """Samples (or ``unit``) per second, from the median time of one call."""
        return self.samples_per_call / self.median

    @property
    def spread(self):
        """The interquartile range of the times as a fraction of the median."""
        return (self.q3 - self.q1) / self.median


@dataclass(frozen=True)
class Run:
    """The results of one JSON file and the machine they were measured on."""

    source: str
    date: str
    torch_version: str
    threads: int
    cpu_count: int | None
    device_names: dict
    commit: str | None
    smoke: bool
    results: list


def _fail(source, message):
    raise BenchReportError(f"{source}: {message}")


def load_run(path):
    """Read and check one pytest-benchmark JSON file written by the suite in benchmarks/."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        _fail(source, f"cannot read it ({error.strerror or error})")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        _fail(source, f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})")
    if not isinstance(data, dict) or not isinstance(data.get("benchmarks"), list):
        _fail(source, "no 'benchmarks' list: not a file written by pytest --benchmark-json")
    if not data["benchmarks"]:
        _fail(source, "holds no benchmarks (were they all skipped or deselected?)")
    machine = (data.get("machine_info") or {}).get("minitorch_lr")
    if not isinstance(machine, dict) or "torch" not in machine or "devices" not in machine:
        _fail(source, "no machine_info.minitorch_lr: not written by the suite in benchmarks/")
    results = [_load_result(source, benchmark) for benchmark in data["benchmarks"]]
    commit = data.get("commit_info") or {}
    commit_id = commit.get("id")
    if commit_id:
        commit_id = commit_id[:12] + (" (with uncommitted changes)" if commit.get("dirty") else "")
    return Run(
        source=source,
        date=_format_date(data.get("datetime")),
        torch_version=machine["torch"],
        threads=machine.get("threads"),
        cpu_count=machine.get("cpu_count"),
        device_names=machine["devices"],
        commit=commit_id,
        smoke=bool(machine.get("smoke")),
        results=results,
    )


def _load_result(source, benchmark):
    name = benchmark.get("name", "?") if isinstance(benchmark, dict) else repr(benchmark)
    extra = benchmark.get("extra_info") if isinstance(benchmark, dict) else None
    stats = benchmark.get("stats") if isinstance(benchmark, dict) else None
    missing = [key for key in EXTRA_INFO_KEYS if key not in (extra or {})]
    if missing:
        _fail(source, f"benchmark {name!r} has no extra_info {', '.join(missing)}")
    missing = [key for key in STATS_KEYS if not isinstance((stats or {}).get(key), (int, float))]
    if missing:
        _fail(source, f"benchmark {name!r} has no numeric stats {', '.join(missing)}")
    if not stats["median"] > 0:
        _fail(source, f"benchmark {name!r} has median time {stats['median']!r}, not > 0")
    samples = extra["samples_per_call"]
    if not isinstance(samples, (int, float)) or not samples > 0:
        _fail(source, f"benchmark {name!r} has samples_per_call {samples!r}, not > 0")
    return Result(
        case=extra["case"],
        description=extra["description"],
        device=extra["device"],
        impl=extra["impl"],
        baseline=extra["baseline"],
        batch_size=extra.get("batch_size"),
        samples_per_call=samples,
        unit=extra.get("unit", "samples"),
        median=stats["median"],
        q1=stats["q1"],
        q3=stats["q3"],
        rounds=stats["rounds"],
    )


def _format_date(text):
    try:
        return datetime.fromisoformat(text).strftime("%Y-%m-%d %H:%M %Z").strip()
    except (TypeError, ValueError):
        return "unknown date"
