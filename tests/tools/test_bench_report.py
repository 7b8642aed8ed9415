"""The benchmark report, on a recorded run of the suite and on generated results.

``benchmarks/sample_results.json`` was recorded by running part of the suite on a 2-core
CPU (softmax step, SGD step, data epoch); the per-round timings (``stats.data``) were
dropped to keep it small. Every expected figure below is computed here again from that
JSON's raw fields, never copied out of the report.
"""

import copy
import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr.tools import bench_report
from minitorch_lr.tools.bench_report import render_markdown, write_report
from minitorch_lr.tools.bench_results import load_run

SAMPLE = Path(__file__).resolve().parents[2] / "benchmarks" / "sample_results.json"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def sample_data():
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def write_json(tmp_path, data, name="results.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def parse_tables(markdown):
    """``{(device, case): [row dicts]}`` for every per-case table in the report."""
    tables, device, case, header = {}, None, None, None
    for line in markdown.splitlines():
        if line.startswith("## "):
            device = line[3:].split(":")[0]
        elif line.startswith("### "):
            case, header = line[4:], None
        elif line.startswith("|") and case and not case.startswith("Summary"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if header is None:
                header = cells
            elif not set(line) <= set("|-: "):
                tables.setdefault((device, case), []).append(dict(zip(header, cells)))
    return tables


def expected_ratio(benchmarks, benchmark):
    """Throughput over the baseline's at the same batch size, from the raw JSON."""
    extra = benchmark["extra_info"]
    (base,) = [
        other
        for other in benchmarks
        if other["extra_info"]["case"] == extra["case"]
        and other["extra_info"]["device"] == extra["device"]
        and other["extra_info"]["batch_size"] == extra["batch_size"]
        and other["extra_info"]["impl"] == extra["baseline"]
    ]
    rate = extra["samples_per_call"] / benchmark["stats"]["median"]
    base_rate = base["extra_info"]["samples_per_call"] / base["stats"]["median"]
    return rate / base_rate


def row_for(tables, benchmark):
    extra = benchmark["extra_info"]
    batch = "" if extra["batch_size"] is None else str(extra["batch_size"])
    rows = tables[(extra["device"], extra["case"])]
    (row,) = [r for r in rows if r["implementation"] == extra["impl"] and r["batch"] == batch]
    return row


def parse_rate(text):
    return float(text.replace(",", ""))


# --- tables ------------------------------------------------------------------------------


def test_every_benchmark_is_one_row_of_its_case_table():
    data = sample_data()
    tables = parse_tables(render_markdown([load_run(SAMPLE)]))
    cases = {(b["extra_info"]["device"], b["extra_info"]["case"]) for b in data["benchmarks"]}
    assert set(tables) == cases
    assert sum(len(rows) for rows in tables.values()) == len(data["benchmarks"])
    for benchmark in data["benchmarks"]:
        row_for(tables, benchmark)


def test_throughput_is_samples_per_call_over_the_median_time():
    data = sample_data()
    tables = parse_tables(render_markdown([load_run(SAMPLE)]))
    for benchmark in data["benchmarks"]:
        extra, stats = benchmark["extra_info"], benchmark["stats"]
        row = row_for(tables, benchmark)
        rate = row[f"{extra.get('unit', 'samples')}/s"]
        expected = extra["samples_per_call"] / stats["median"]
        # The table rounds to whole samples per second.
        assert parse_rate(rate) == pytest.approx(expected, abs=0.5)
        assert row["rounds"] == str(stats["rounds"])
        spread = (stats["q3"] - stats["q1"]) / stats["median"]
        assert row["spread"] == f"{spread:.0%}"


def test_ratios_to_the_baseline_are_computed_right():
    data = sample_data()
    tables = parse_tables(render_markdown([load_run(SAMPLE)]))
    checked_baselines = set()
    for benchmark in data["benchmarks"]:
        row = row_for(tables, benchmark)
        baseline = benchmark["extra_info"]["baseline"]
        checked_baselines.add(baseline)
        assert (
            row[f"ratio to {baseline}"] == f"{expected_ratio(data['benchmarks'], benchmark):.2f}x"
        )
    # The sample holds both kinds of case: models against torch.nn, loaders against DataLoader.
    assert checked_baselines == {"torch.nn", "DataLoader, 0 workers"}


def test_the_baseline_row_has_ratio_one_and_a_missing_baseline_gives_na(tmp_path):
    data = sample_data()
    tables = parse_tables(render_markdown([load_run(SAMPLE)]))
    rows = tables[("cpu", "softmax step")]
    assert {row["ratio to torch.nn"] for row in rows if row["implementation"] == "torch.nn"} == {
        "1.00x"
    }
    data["benchmarks"] = [b for b in data["benchmarks"] if b["extra_info"]["impl"] != "torch.nn"]
    tables = parse_tables(render_markdown([load_run(write_json(tmp_path, data))]))
    assert {row["ratio to torch.nn"] for row in tables[("cpu", "softmax step")]} == {"n/a"}


def test_summary_lists_minitorch_lr_against_each_baseline():
    data = sample_data()
    markdown = render_markdown([load_run(SAMPLE)])
    summary = markdown.split("### Summary")[1].split("\n### ")[0]
    for benchmark in data["benchmarks"]:
        extra = benchmark["extra_info"]
        if extra["impl"] != "minitorch_lr":
            continue
        batch = "" if extra["batch_size"] is None else str(extra["batch_size"])
        ratio = f"{expected_ratio(data['benchmarks'], benchmark):.2f}x"
        assert f"| {extra['case']} | {batch} | {extra['baseline']} | {ratio} |" in summary


# --- header ------------------------------------------------------------------------------


def test_header_names_the_device_torch_version_and_date():
    data = sample_data()
    machine = data["machine_info"]["minitorch_lr"]
    markdown = render_markdown([load_run(SAMPLE)])
    date = datetime.fromisoformat(data["datetime"]).strftime("%Y-%m-%d %H:%M")
    assert f"## cpu: {machine['devices']['cpu']}" in markdown
    assert f"torch {machine['torch']}" in markdown
    assert f"date: {date} UTC" in markdown
    assert f"{machine['cpu_count']} cores, {machine['threads']} torch thread" in markdown
    assert data["commit_info"]["id"][:12] in markdown


def test_a_device_without_results_is_reported_as_not_measured():
    markdown = render_markdown([load_run(SAMPLE)])
    cuda_section = markdown.split("## cuda")[1]
    assert "Not measured" in cuda_section
    assert "|" not in cuda_section


def test_cuda_results_get_their_own_section_named_after_the_gpu(tmp_path):
    data = sample_data()
    for benchmark in data["benchmarks"]:
        benchmark["extra_info"]["device"] = "cuda"
    data["machine_info"]["minitorch_lr"]["devices"]["cuda"] = "Some GPU 80GB"
    markdown = render_markdown([load_run(write_json(tmp_path, data))])
    assert "## cuda: Some GPU 80GB" in markdown
    assert "## cpu\n\nNot measured" in markdown
    assert ("cuda", "softmax step") in parse_tables(markdown)


def test_a_smoke_run_is_flagged(tmp_path):
    data = sample_data()
    assert "Smoke run" not in render_markdown([load_run(SAMPLE)])
    data["machine_info"]["minitorch_lr"]["smoke"] = True
    assert "Smoke run" in render_markdown([load_run(write_json(tmp_path, data))])


# --- files and plot ----------------------------------------------------------------------


def test_write_report_writes_markdown_and_a_png(tmp_path):
    from matplotlib.image import imread

    markdown_path, image_path = write_report([SAMPLE], tmp_path / "new" / "dir")
    assert markdown_path == tmp_path / "new" / "dir" / "benchmarks.md"
    assert markdown_path.read_text(encoding="utf-8") == render_markdown([load_run(SAMPLE)])
    assert "![throughput against batch size](benchmarks.png)" in markdown_path.read_text()
    assert image_path.read_bytes().startswith(PNG_SIGNATURE)
    height, width, _ = imread(image_path).shape
    assert height > 100 and width > 100


def test_the_plot_is_as_wide_as_the_pages_text_column(tmp_path):
    path = tmp_path / "benchmarks.png"
    bench_report.write_plot([load_run(SAMPLE)], path)
    width = int.from_bytes(path.read_bytes()[16:20], "big")  # the PNG header's width field
    assert width == 740


def test_plot_has_a_log_log_panel_with_a_line_per_implementation():
    data = sample_data()
    figure = bench_report.plot_figure([load_run(SAMPLE)])
    # Only the softmax step was measured at several batch sizes in the sample.
    (axes,) = [ax for ax in figure.axes if ax.get_lines()]
    assert axes.get_xscale() == "log" and axes.get_yscale() == "log"
    lines = {line.get_label(): line for line in axes.get_lines()}
    assert set(lines) == {"minitorch_lr", "torch.nn", "scratch"}
    for impl, line in lines.items():
        points = sorted(
            (
                b["extra_info"]["batch_size"],
                b["extra_info"]["samples_per_call"] / b["stats"]["median"],
            )
            for b in data["benchmarks"]
            if b["extra_info"]["case"] == "softmax step" and b["extra_info"]["impl"] == impl
        )
        assert list(line.get_xdata()) == [batch for batch, _ in points]
        assert list(line.get_ydata()) == pytest.approx([rate for _, rate in points])


# --- several runs ------------------------------------------------------------------------


def slower_torch_nn(factor):
    """The sample with every torch.nn median multiplied by ``factor``."""
    data = sample_data()
    for benchmark in data["benchmarks"]:
        if benchmark["extra_info"]["impl"] == "torch.nn":
            benchmark["stats"]["median"] *= factor
    return data


def test_runs_on_one_machine_share_a_summary_with_a_column_per_run_and_the_median(tmp_path):
    factors = (1.0, 2.0, 4.0)
    paths = [
        write_json(tmp_path, slower_torch_nn(factor), f"run{index}.json")
        for index, factor in enumerate(factors)
    ]
    markdown = render_markdown([load_run(path) for path in paths])
    assert markdown.count("## cpu: ") == 1
    assert "- runs: 3;" in markdown
    header = "| case | batch | minitorch_lr against | run 1 | run 2 | run 3 | median | range |"
    assert header in markdown
    assert "- results: run2.json" in markdown  # the header names the last run
    data = sample_data()
    tables = parse_tables(markdown)
    for benchmark in data["benchmarks"]:
        extra = benchmark["extra_info"]
        if extra["impl"] != "minitorch_lr" or extra["baseline"] != "torch.nn":
            continue
        ratio = expected_ratio(data["benchmarks"], benchmark)
        runs = [f"{ratio * factor:.2f}x" for factor in factors]
        batch = "" if extra["batch_size"] is None else str(extra["batch_size"])
        # Ratios r, 2r and 4r: they span 3r, 150% of their median 2r.
        row = f"| {extra['case']} | {batch} | torch.nn | {' | '.join(runs)} | {runs[1]} |"
        row += " 150% noisy |"
        assert row in markdown
        # The tables show the median run: torch.nn twice as slow, minitorch_lr unchanged.
        assert row_for(tables, benchmark)["ratio to torch.nn"] == runs[1]
        torch_row = [
            r
            for r in tables[("cpu", extra["case"])]
            if r["implementation"] == "torch.nn" and r["batch"] == batch
        ][0]
        torch_median = [
            b["stats"]["median"]
            for b in data["benchmarks"]
            if b["extra_info"]["case"] == extra["case"]
            and b["extra_info"]["batch_size"] == extra["batch_size"]
            and b["extra_info"]["impl"] == "torch.nn"
        ][0]
        rate = extra["samples_per_call"] / (2 * torch_median)
        unit = extra.get("unit", "samples")
        assert parse_rate(torch_row[f"{unit}/s"]) == pytest.approx(rate, abs=0.5)


def test_runs_that_agree_within_a_fifth_are_not_marked_noisy(tmp_path):
    paths = [
        write_json(tmp_path, slower_torch_nn(factor), f"run{index}.json")
        for index, factor in enumerate((1.0, 1.05, 1.1))
    ]
    markdown = render_markdown([load_run(path) for path in paths])
    assert "noisy |" not in markdown.split("### Summary")[1].split("\n### ")[0]
    assert "| 10% |" in markdown


def test_runs_on_different_machines_get_their_own_sections(tmp_path):
    other = sample_data()
    other["machine_info"]["minitorch_lr"]["devices"]["cpu"] = "Another CPU"
    paths = [SAMPLE, write_json(tmp_path, other)]
    markdown = render_markdown([load_run(path) for path in paths])
    machine = sample_data()["machine_info"]["minitorch_lr"]["devices"]["cpu"]
    assert f"## cpu: {machine}\n" in markdown and "## cpu: Another CPU\n" in markdown
    assert "- runs:" not in markdown


# --- ratios on generated results ---------------------------------------------------------

medians = st.floats(min_value=1e-7, max_value=10.0, allow_nan=False)
samples_per_call = st.integers(min_value=1, max_value=100_000)


@given(
    times=st.lists(st.tuples(medians, samples_per_call), min_size=2, max_size=4),
    batch_size=st.integers(min_value=1, max_value=10_000),
)
def test_ratio_is_throughput_over_the_baselines_for_generated_results(
    tmp_path_factory, times, batch_size
):
    data = sample_data()
    template = data["benchmarks"][0]
    data["benchmarks"] = []
    impls = [f"impl{index}" for index in range(len(times))]
    for impl, (median, samples) in zip(impls, times):
        benchmark = copy.deepcopy(template)
        benchmark["name"] = f"test_case[{impl}]"
        benchmark["extra_info"].update(
            case="case",
            impl=impl,
            baseline=impls[-1],
            batch_size=batch_size,
            samples_per_call=samples,
        )
        benchmark["stats"].update(median=median, q1=median, q3=median)
        data["benchmarks"].append(benchmark)
    path = write_json(tmp_path_factory.mktemp("results"), data)
    (rows,) = parse_tables(render_markdown([load_run(path)])).values()
    base_median, base_samples = times[-1]
    for row, (median, samples) in zip(rows, times):
        ratio = (samples / median) / (base_samples / base_median)
        assert row[f"ratio to {impls[-1]}"] == f"{ratio:.2f}x"
