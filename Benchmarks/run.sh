#!/usr/bin/env bash
# token-warden vs kubectl against one simulated API server: `./Benchmarks/run.sh [--full]`.
# Expects release builds of kube-sim and warden-bench in $BENCH_BIN (default .build/release);
# `make bench` builds them. Loopback only. Results: bench-results/latest.json and a table.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v kubectl >/dev/null || { echo "kubectl is required (Debian: kubernetes-client)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is required (Debian: time)" >&2; exit 1; }
exec python3 Benchmarks/bench.py "$@"
