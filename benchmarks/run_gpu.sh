#!/usr/bin/env bash
# Run the benchmark suite's cuda cases on a machine with a GPU; write, under "$OUT":
#   cuda-1.json           pytest-benchmark's JSON: each benchmark's statistics (to be copied
#                         into docs/results/ for docs/benchmarks.md)
#   benchmarks.md, .png   the report of these results and of docs/results/cpu-*.json
#   profile.txt           torch.profiler tables of a training step at batch 256 and 8192
#   bench.log             pytest's output
#   env.txt               the GPU, its driver, Python and the packages used
# Needs python3 with torch, pytest, pytest-benchmark, matplotlib and tqdm; installs nothing
# and imports minitorch_lr from the working tree (PYTHONPATH=.). Takes 3-5 minutes: the suite
# is stopped after BENCH_TIMEOUT seconds (default 360), each profile after 45.
#
# To try the script without a GPU: BENCH_SELECT="not cuda" BENCH_ARGS=--bench-smoke
# (the cpu cases, smoke mode) and PYTHON=.venv/bin/python.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${OUT:?set OUT to the folder that should receive the results}"
PYTHON="${PYTHON:-python3}"
SELECT="${BENCH_SELECT:-cuda}"
export PYTHONPATH=. PYTHONUNBUFFERED=1
mkdir -p "$OUT"

{
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv || true
    "$PYTHON" -c 'import sys, torch; print(sys.version); print("torch", torch.__version__, "cuda", torch.version.cuda)'
    "$PYTHON" -m pip list 2>/dev/null | grep -iE '^(torch|numpy|pytest|pytest-benchmark|matplotlib|tqdm) ' || true
} > "$OUT/env.txt" 2>&1
cat "$OUT/env.txt"
cuda_available() {
    "$PYTHON" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)'
}
if [ "$SELECT" = cuda ] && ! cuda_available; then
    echo "run_gpu.sh: torch sees no CUDA device here; nothing to measure" >&2
    exit 1
fi

# -o addopts: the project's pytest options load a plugin (markdown docs) that the GPU
# machine may lack; the suite needs none of them.
status=0
# shellcheck disable=SC2086  # BENCH_ARGS holds several words on purpose
timeout "${BENCH_TIMEOUT:-360}" "$PYTHON" -m pytest benchmarks -m "$SELECT" -p no:cacheprovider \
    -o addopts="-ra --strict-markers" --benchmark-json="$OUT/cuda-1.json" ${BENCH_ARGS:-} \
    2>&1 | tee "$OUT/bench.log" || status=$?
if [ ! -f "$OUT/cuda-1.json" ]; then
    echo "run_gpu.sh: the suite wrote no results (exit status $status); see bench.log" >&2
    exit 1
fi

shopt -s nullglob
inputs=(docs/results/cpu-*.json "$OUT/cuda-1.json")
"$PYTHON" -m minitorch_lr bench-report "${inputs[@]}" --out "$OUT"

device=cpu
if cuda_available; then device=cuda; fi
for batch_size in 256 8192; do
    timeout 45 "$PYTHON" -m benchmarks.profile_step --device "$device" --batch-size "$batch_size" \
        --row-limit 25 || echo "profile at batch $batch_size failed or timed out"
done > "$OUT/profile.txt" 2>&1

exit "$status"
