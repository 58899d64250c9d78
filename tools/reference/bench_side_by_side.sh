#!/usr/bin/env bash
# Iris's local models and their reference implementations, one after the other in one run on
# the same weights and inputs (BENCHMARKS.md, "Local inference"). Run it on a quiet machine:
# nothing else should be using the cores.
#
#   tools/reference/bench_side_by_side.sh [--runs N] 2>&1 | tee /tmp/side-by-side.log
#
# Needs the models (`cargo xtask fetch-models`) and the three reference venvs set up as their
# requirements-*.txt say (/var/cache/iris/venv-embed, venv-whisper, venv-llm).
# Environment: IRIS_MODELS_DIR (default /var/cache/iris/models), CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=3
if [[ "${1:-}" == "--runs" ]]; then runs="$2"; fi
export IRIS_MODELS_DIR="${IRIS_MODELS_DIR:-/var/cache/iris/models}"
export IRIS_BENCH_RUNS="$runs"
venv=/var/cache/iris
cargo bench -p iris-inference --no-run >/dev/null 2>&1 || cargo bench -p iris-inference --no-run

echo "== $(date -u +%FT%TZ) $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== embeddings: iris (candle) then sentence-transformers, 2 threads"
cargo bench -q -p iris-inference --bench embed 2>/dev/null
"$venv/venv-embed/bin/python" tools/reference/embed_reference.py bench
echo "== whisper-tiny: iris (candle) then faster-whisper float32, 2 threads, beam 1, no VAD"
cargo bench -q -p iris-inference --bench whisper 2>/dev/null
"$venv/venv-whisper/bin/python" tools/reference/whisper_reference.py bench --runs "$runs"
echo "== GGUF generation: iris (candle) then llama.cpp, 2 threads, greedy"
cargo bench -q -p iris-inference --bench llm -- --runs "$runs" 2>/dev/null
"$venv/venv-llm/bin/python" tools/reference/llm_reference.py bench --runs "$runs"
echo "== $(date -u +%FT%TZ) done; load $(cut -d' ' -f1-3 /proc/loadavg)"
