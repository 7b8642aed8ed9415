#!/usr/bin/env bash
# Everything that needs a GPU, in one run of a few minutes. Writes under "$OUT":
#   tests.log          the CUDA cases of the test suite (equivalence on the GPU, CUDA graphs)
#   cuda-graph/        benchmarks/gpu_cuda_graph.py: graph vs eager, equality and timings
#   bench/             benchmarks/run_gpu.sh: the benchmark suite's cuda cases and report
# Runs from the working tree (PYTHONPATH=.) with what the machine has: torch, numpy,
# hypothesis, pytest, pytest-benchmark, matplotlib, tqdm. Installs nothing.
#
#   OUT=results bash benchmarks/gpu_check.sh
set -uo pipefail
cd "$(dirname "$0")/.."
: "${OUT:?set OUT to the folder that should receive the results}"
PYTHON="${PYTHON:-python3}"
export PYTHONPATH=. PYTHONUNBUFFERED=1
mkdir -p "$OUT/cuda-graph" "$OUT/bench"
status=0

# 1. The CUDA cases of the tests (their ids name the device, or the file is about CUDA).
#    -o addopts: the project's options load the markdown-docs plugin, not needed here.
timeout 150 "$PYTHON" -m pytest tests -k "cuda" -p no:cacheprovider -q \
    -o addopts="-ra --strict-markers" 2>&1 | tee "$OUT/tests.log" || status=1

# 2. The CUDA-graph epoch against the eager one.
OUT="$OUT/cuda-graph" timeout 120 "$PYTHON" benchmarks/gpu_cuda_graph.py \
    2>&1 | tee "$OUT/cuda-graph/run.log" || status=1

# 3. The benchmark suite on the GPU, and its report beside the stored CPU runs.
OUT="$OUT/bench" BENCH_TIMEOUT=240 PYTHON="$PYTHON" bash benchmarks/run_gpu.sh \
    2>&1 | tee "$OUT/bench/run.log" || status=1

exit "$status"
