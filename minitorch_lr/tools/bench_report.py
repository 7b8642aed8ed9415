"""The benchmark report: ``benchmarks.md`` and ``benchmarks.png`` from the suite's results.

``minitorch-lr bench-report RESULTS.json [MORE.json ...] --out DIR`` reads the runs (see
``bench_results.py``) and makes two files in DIR:

- ``benchmarks.md``: for each device and case, a table of every implementation's
  throughput and its ratio to the case's baseline (``torch.nn`` for the models), under a
  header naming the device, the torch version and the date; with several runs, each figure
  is the median over the runs, and the summary shows every run's ratio and marks the
  cases whose ratio moves by more than 20% between runs;
- ``benchmarks.png``: throughput against batch size, one line per implementation, both
  axes logarithmic, one panel per case measured at several batch sizes.

Throughput is ``samples_per_call / median``. The median is the statistic because it
ignores the occasional round that another process on the machine slowed down; the spread
column shows how far the rounds scattered.

Left out: any judgement of the figures against targets.
"""

import dataclasses
import statistics
from pathlib import Path

from .bench_results import load_run

__all__ = ["plot_figure", "render_markdown", "write_plot", "write_report"]

DEVICES = ("cpu", "cuda")
NOISY = 0.2
"""A case whose ratio moves by more than this share of its median between runs is noisy."""


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


def _table(results, ratios):
    """The rows of one case; ``ratios`` maps ``(batch_size, impl)`` to its ratio."""
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
    for result in results:
        ratio = ratios.get((result.batch_size, result.impl))
        lines.append(
            f"| {_format_batch(result.batch_size)} | {result.impl} | "
            f"{_format_seconds(result.median)} | {_format_rate(result.throughput)} | "
            f"{result.spread:.0%} | {_format_ratio(ratio)} | {result.rounds} |"
        )
    return lines


def _median_over_runs(results_per_run):
    """One result per (case, batch size, implementation): the median over the runs of its
    time, quartiles and rounds, and the median over the runs of its ratio to the baseline
    (``{(case, batch_size, impl): ratio or None}``). With one run, that run's figures."""
    groups, ratios = {}, {}
    for results in results_per_run:
        for case_results in _by_case(results).values():
            for result, baseline in zip(case_results, _ratios(case_results)):
                key = (result.case, result.batch_size, result.impl)
                groups.setdefault(key, []).append(result)
                if baseline is not None:
                    ratios.setdefault(key, []).append(result.throughput / baseline)
    merged = [
        dataclasses.replace(
            group[0],
            median=statistics.median(r.median for r in group),
            q1=statistics.median(r.q1 for r in group),
            q3=statistics.median(r.q3 for r in group),
            rounds=round(statistics.median(r.rounds for r in group)),
        )
        for group in groups.values()
    ]
    return merged, {key: statistics.median(values) for key, values in ratios.items()}


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
        columns += ["median", "range"]
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
            cells.append(_format_range(measured))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _format_range(ratios):
    """The share by which the runs' ratios differ, marked noisy above :data:`NOISY`."""
    if len(ratios) < 2:
        return "n/a"
    share = (max(ratios) - min(ratios)) / statistics.median(ratios)
    return f"{share:.0%}" + (" noisy" if share > NOISY else "")


def _machine_line(run, device):
    name = run.device_names.get(device, "unknown device")
    if device == "cpu":
        cores = f", {run.cpu_count} cores" if run.cpu_count else ""
        threads = f"{run.threads} torch thread" + ("" if run.threads == 1 else "s")
        return f"{name}{cores}, {threads}"
    return name


def render_markdown(runs, image_name="benchmarks.png"):
    """The report as Markdown: a section per device and machine, with a summary over all
    its runs and one table per case, each figure the median over the runs."""
    lines = [
        "# Benchmarks: minitorch_lr against torch.nn",
        "",
        "Throughput is samples (or steps) per second, higher is better, from the median "
        "time of one call. *Spread* is the interquartile range of the times as a share of "
        "the median. *Ratio* divides an implementation's throughput by that of the case's "
        "baseline at the same batch size: above 1.00x is faster. With several runs, every "
        "figure of a table is the median over the runs, and the summary's *range* is how "
        f"far the runs' ratios lie apart, as a share of their median; above {NOISY:.0%} "
        "the case is marked *noisy*. Made by `minitorch-lr bench-report` from the JSON that "
        "`python -m pytest benchmarks --benchmark-json=FILE` writes.",
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
            lines.append(
                f"- runs: {len(device_runs)}; the summary shows each, the tables their median"
            )
        if any(run.smoke for run in device_runs):
            lines += ["", "**Smoke run: one round per benchmark, the figures mean nothing.**"]
        lines += ["", "### Summary: minitorch_lr's ratio to each case's baseline", ""]
        lines += _summary(device, device_runs)
        results, ratios = _median_over_runs(
            [[r for r in run.results if r.device == device] for run in device_runs]
        )
        for case, case_results in _by_case(results).items():
            lines += ["", f"### {case}", "", case_results[0].description, ""]
            case_ratios = {(b, impl): ratio for (c, b, impl), ratio in ratios.items() if c == case}
            lines += _table(case_results, case_ratios)
    return "\n".join(lines) + "\n"


def plot_figure(runs):
    """Throughput against batch size, log-log, one line per implementation, as a Figure
    with an Agg canvas: a panel per case measured at several batch sizes, each point the
    median over the runs of each device and machine.

    One panel under another, 7.4 inches wide: saved at 100 dpi it is 740 pixels wide, the
    width of the page's text column, so that its 10-point labels read at 14 pixels.
    """
    # Imported here: reading results and writing Markdown need no matplotlib.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import NullLocator

    panels = []
    for device, name, device_runs in _sections(runs):
        results_per_run = [[r for r in run.results if r.device == device] for run in device_runs]
        results, _ = _median_over_runs(results_per_run)
        for case, case_results in _by_case(results).items():
            if len({r.batch_size for r in case_results if r.batch_size is not None}) > 1:
                panels.append((f"{case} ({name})", case_results))
    rows = max(1, len(panels))
    figure = Figure(figsize=(7.4, 3.4 * rows), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(rows, 1, squeeze=False).flatten()
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
        ax.legend(fontsize="small")
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
