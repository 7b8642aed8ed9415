"""The benchmark report: pytest-benchmark's JSON in, ``benchmarks.md`` and ``benchmarks.png`` out.

``minitorch-lr bench-report RESULTS.json [MORE.json ...] --out DIR`` reads the JSON that
``pytest benchmarks --benchmark-json=RESULTS.json`` writes and makes two files in DIR:

- ``benchmarks.md``: for each device and case, a table of every implementation's
  throughput and its ratio to the case's baseline (``torch.nn`` for the models), under a
  header naming the device, the torch version and the date of the run;
- ``benchmarks.png``: throughput against batch size, one line per implementation, both
  axes logarithmic, one panel per case measured at several batch sizes.

Throughput is ``samples_per_call / median``: the suite records in each benchmark's
``extra_info`` how many samples one timed call processes, so nothing is parsed out of
test names. The median is the statistic because it ignores the occasional round that
another process on the machine slowed down; the spread column shows how far the rounds
scattered.

Left out: comparisons between runs (pytest-benchmark's own ``compare`` does that) and
any judgement of the figures against targets.
"""

import argparse
import json
import math
import statistics
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

__all__ = [
    "BenchReportError",
    "Result",
    "Run",
    "add_bench_report_parser",
    "load_run",
    "main",
    "plot_figure",
    "render_markdown",
    "run_bench_report",
    "write_plot",
    "write_report",
]

DEVICES = ("cpu", "cuda")
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


def _format_seconds(seconds):
    for scale, unit in ((1.0, "s"), (1e-3, "ms"), (1e-6, "us")):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def _format_rate(rate):
    return f"{rate:,.0f}" if rate >= 100 else f"{rate:.3g}"


def _format_ratio(ratio):
    return "n/a" if ratio is None else f"{ratio:.2f}x"


def _format_batch(batch_size):
    return "" if batch_size is None else str(batch_size)


def _by_case(results):
    """``{case: [results]}``, cases in the order they first appear."""
    cases = {}
    for result in results:
        cases.setdefault(result.case, []).append(result)
    return cases


def _ratios(results):
    """Each result's throughput over its baseline's at the same batch size (None if absent)."""
    baselines = {(r.batch_size, r.impl): r.throughput for r in results}
    return [baselines.get((r.batch_size, r.baseline)) for r in results]


def _table(results):
    impl_order = list(dict.fromkeys(r.impl for r in results))
    results = sorted(
        results,
        key=lambda r: (r.batch_size is not None, r.batch_size or 0, impl_order.index(r.impl)),
    )
    baselines = sorted({r.baseline for r in results})
    unit = results[0].unit
    lines = [
        f"| batch | implementation | time per call | {unit}/s | spread | "
        f"ratio to {' / '.join(baselines)} | rounds |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result, baseline in zip(results, _ratios(results)):
        ratio = None if baseline is None else result.throughput / baseline
        lines.append(
            f"| {_format_batch(result.batch_size)} | {result.impl} | "
            f"{_format_seconds(result.median)} | {_format_rate(result.throughput)} | "
            f"{result.spread:.0%} | {_format_ratio(ratio)} | {result.rounds} |"
        )
    return lines


def _sections(runs):
    """``[(device, device_name, runs)]``, one per device and machine: runs on different
    machines are never summarised together. A device nothing was measured on gets
    ``(device, None, [])``."""
    sections = []
    for device in DEVICES:
        by_name = {}
        for run in runs:
            if any(r.device == device for r in run.results):
                name = run.device_names.get(device, "unknown device")
                by_name.setdefault(name, []).append(run)
        sections += [(device, name, named) for name, named in by_name.items()]
        if not by_name:
            sections.append((device, None, []))
    return sections


def _minitorch_ratios(results):
    """``{(case, batch_size, baseline): ratio or None}`` for minitorch_lr's results."""
    ratios = {}
    for case_results in _by_case(results).values():
        for result, baseline in zip(case_results, _ratios(case_results)):
            if result.impl == "minitorch_lr":
                key = (result.case, result.batch_size, result.baseline)
                ratios[key] = None if baseline is None else result.throughput / baseline
    return ratios


def _summary(device, runs):
    """minitorch_lr's ratio to the baseline in every case: one column per run, and their
    median when there are several runs."""
    per_run = [_minitorch_ratios([r for r in run.results if r.device == device]) for run in runs]
    lines = []
    if len(runs) > 1:
        for index, run in enumerate(runs, start=1):
            lines.append(f"- run {index}: {Path(run.source).name}, {run.date}")
        lines.append("")
    run_columns = ["ratio"] if len(runs) == 1 else [f"run {i}" for i in range(1, len(runs) + 1)]
    columns = ["case", "batch", "minitorch_lr against", *run_columns]
    if len(runs) > 1:
        columns.append("median")
    lines += [
        "| " + " | ".join(columns) + " |",
        "| --- | ---: | --- |" + " ---: |" * (len(columns) - 3),
    ]
    for key in dict.fromkeys(key for ratios in per_run for key in ratios):
        case, batch_size, baseline = key
        ratios = [ratios.get(key) for ratios in per_run]
        cells = [case, _format_batch(batch_size), baseline]
        cells += [_format_ratio(ratio) for ratio in ratios]
        if len(runs) > 1:
            measured = [ratio for ratio in ratios if ratio is not None]
            cells.append(_format_ratio(statistics.median(measured) if measured else None))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _machine_line(run, device):
    name = run.device_names.get(device, "unknown device")
    if device == "cpu":
        cores = f", {run.cpu_count} cores" if run.cpu_count else ""
        threads = f"{run.threads} torch thread" + ("" if run.threads == 1 else "s")
        return f"{name}{cores}, {threads}"
    return name


def render_markdown(runs, image_name="benchmarks.png"):
    """The report as Markdown: a section per device and machine, with a summary over all
    its runs and the tables of its last run, one per case."""
    lines = [
        "# Benchmarks: minitorch_lr against torch.nn",
        "",
        "Throughput is samples (or steps) per second, higher is better, from the median "
        "time of one call. *Spread* is the interquartile range of the times as a share of "
        "the median. *Ratio* divides an implementation's throughput by that of the case's "
        "baseline at the same batch size: above 1.00x is faster. Made by `minitorch-lr "
        "bench-report` from the JSON that `python -m pytest benchmarks "
        "--benchmark-json=FILE` writes.",
        "",
        f"![throughput against batch size]({image_name})",
    ]
    for device, name, device_runs in _sections(runs):
        if not device_runs:
            lines += ["", f"## {device}", "", f"Not measured: no {device} results were given."]
            continue
        last = device_runs[-1]
        lines += ["", f"## {device}: {name}", ""]
        lines += [
            f"- device: {_machine_line(last, device)}",
            f"- torch {last.torch_version}",
            f"- date: {last.date}",
        ]
        if last.commit:
            lines.append(f"- commit: {last.commit}")
        lines.append(f"- results: {Path(last.source).name}")
        if len(device_runs) > 1:
            lines.append(f"- runs: {len(device_runs)}; the summary shows each, the tables the last")
        if any(run.smoke for run in device_runs):
            lines += ["", "**Smoke run: one round per benchmark, the figures mean nothing.**"]
        lines += ["", "### Summary: minitorch_lr's ratio to each case's baseline", ""]
        lines += _summary(device, device_runs)
        results = [r for r in last.results if r.device == device]
        for case, case_results in _by_case(results).items():
            lines += ["", f"### {case}", "", case_results[0].description, ""]
            lines += _table(case_results)
    return "\n".join(lines) + "\n"


def plot_figure(runs):
    """Throughput against batch size, log-log, one line per implementation, as a Figure
    with an Agg canvas: a panel per case measured at several batch sizes, from the last
    run of each device and machine."""
    # Imported here: reading results and writing Markdown need no matplotlib.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import NullLocator

    panels = []
    for device, name, device_runs in _sections(runs):
        results = [r for r in device_runs[-1].results if r.device == device] if device_runs else []
        for case, case_results in _by_case(results).items():
            if len({r.batch_size for r in case_results if r.batch_size is not None}) > 1:
                panels.append((f"{case} ({name})", case_results))
    columns = min(3, max(1, len(panels)))
    rows = max(1, math.ceil(len(panels) / columns))
    figure = Figure(figsize=(5 * columns, 4 * rows), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(rows, columns, squeeze=False).flatten()
    for ax, (title, results) in zip(axes, panels):
        for impl in dict.fromkeys(r.impl for r in results):
            points = sorted((r.batch_size, r.throughput) for r in results if r.impl == impl)
            ax.plot(*zip(*points), marker="o", label=impl)
        ax.set(xscale="log", yscale="log", title=title, xlabel="batch size")
        # Label the batch sizes measured; log-scale minor labels would overlap them.
        batch_sizes = sorted({r.batch_size for r in results})
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xticks(batch_sizes, labels=[str(size) for size in batch_sizes])
        ax.set_ylabel(f"{results[0].unit} per second")
        ax.legend()
    for ax in axes[len(panels) :]:
        ax.set_axis_off()
    if not panels:
        axes[0].text(0.5, 0.5, "no case was measured at several batch sizes", ha="center")
    return figure


def write_plot(runs, path):
    """Write :func:`plot_figure` to ``path`` as a PNG."""
    plot_figure(runs).savefig(path, format="png", dpi=100)


def write_report(paths, out_dir):
    """Read every JSON file in ``paths``; write ``benchmarks.md`` and ``benchmarks.png``
    into ``out_dir`` (created if missing). Returns the two paths."""
    runs = [load_run(path) for path in paths]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    markdown_path = out_dir / "benchmarks.md"
    image_path = out_dir / "benchmarks.png"
    markdown_path.write_text(render_markdown(runs, image_path.name), encoding="utf-8")
    write_plot(runs, image_path)
    return markdown_path, image_path


def _add_arguments(parser):
    parser.add_argument(
        "results",
        nargs="+",
        metavar="RESULTS.json",
        help="results of one or more runs (runs on one machine share a summary)",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for the report")
    parser.set_defaults(run=run_bench_report)
    return parser


def add_bench_report_parser(subcommands):
    """Add the ``bench-report`` subcommand to ``subcommands`` (from ``add_subparsers``)."""
    parser = subcommands.add_parser(
        "bench-report",
        help="turn benchmark results into a Markdown report and a plot",
        description=(
            "Read the JSON that `pytest benchmarks --benchmark-json=FILE` writes and write "
            "DIR/benchmarks.md (throughput and ratio to torch.nn per device and case) and "
            "DIR/benchmarks.png (throughput against batch size)."
        ),
    )
    return _add_arguments(parser)


def run_bench_report(args):
    """Write the report for parsed arguments; return the exit code (1 on unusable input)."""
    try:
        markdown_path, image_path = write_report(args.results, args.out)
    except (BenchReportError, OSError) as error:
        print(f"minitorch-lr bench-report: {error}", file=sys.stderr)
        return 1
    print(f"wrote {markdown_path} and {image_path}")
    return 0


def main(argv=None):
    """``python -m minitorch_lr.bench_report RESULTS.json --out DIR``; returns the exit code."""
    parser = _add_arguments(argparse.ArgumentParser(prog="python -m minitorch_lr.bench_report"))
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
