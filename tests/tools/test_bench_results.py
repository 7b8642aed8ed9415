"""Reading the suite's results: load_run refuses what is not a run of the suite, naming
the file and the problem."""

import json

import pytest

from minitorch_lr.tools.bench_results import BenchReportError, load_run
from tests.tools.test_bench_report import sample_data


def break_sample(change):
    data = sample_data()
    change(data)
    return data


BAD_RESULTS = {
    "not JSON": ("{'benchmarks': [", "not valid JSON (line 1, column 2"),
    "not pytest-benchmark's": ('{"results": []}', "no 'benchmarks' list"),
    "a list at the top": ("[1, 2]", "no 'benchmarks' list"),
    "no benchmarks": (
        break_sample(lambda data: data.update(benchmarks=[])),
        "holds no benchmarks",
    ),
    "no machine info": (
        break_sample(lambda data: data["machine_info"].pop("minitorch_lr")),
        "no machine_info.minitorch_lr",
    ),
    "no extra_info": (
        break_sample(lambda data: data["benchmarks"][0].pop("extra_info")),
        "benchmark 'test_data_epoch[cpu-minitorch_lr]' has no extra_info case, description, "
        "device, impl, baseline, samples_per_call",
    ),
    "no impl": (
        break_sample(lambda data: data["benchmarks"][1]["extra_info"].pop("impl")),
        "benchmark 'test_data_epoch[cpu-DataLoader, 0 workers]' has no extra_info impl",
    ),
    "no median": (
        break_sample(lambda data: data["benchmarks"][2]["stats"].pop("median")),
        "benchmark 'test_data_epoch[cpu-DataLoader, 4 workers]' has no numeric stats median",
    ),
    "zero median": (
        break_sample(lambda data: data["benchmarks"][2]["stats"].update(median=0.0)),
        "benchmark 'test_data_epoch[cpu-DataLoader, 4 workers]' has median time 0.0, not > 0",
    ),
    "no samples": (
        break_sample(lambda data: data["benchmarks"][3]["extra_info"].update(samples_per_call=0)),
        "benchmark 'test_sgd_step[cpu-minitorch_lr]' has samples_per_call 0, not > 0",
    ),
}


@pytest.mark.parametrize("content, message", BAD_RESULTS.values(), ids=BAD_RESULTS.keys())
def test_bad_results_raise_an_error_naming_the_file_and_the_problem(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    with pytest.raises(BenchReportError) as error:
        load_run(path)
    assert str(error.value).startswith(f"{path}: {message}")


def test_a_missing_file_is_a_bench_report_error(tmp_path):
    with pytest.raises(BenchReportError, match="missing.json: cannot read it"):
        load_run(tmp_path / "missing.json")
