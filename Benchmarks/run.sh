#!/usr/bin/env bash
# token-warden vs kubectl against one simulated API server: `./Benchmarks/run.sh [--full]`.
# Expects release builds of kube-sim, warden-bench and token-warden in $BENCH_BIN (default .build/release);
# `make bench` builds them. Loopback only. Results: bench-results/latest.json, sync-latest.json, steady-latest.json and tables.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v kubectl >/dev/null || { echo "kubectl is required (Debian: kubernetes-client)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is required (Debian: time)" >&2; exit 1; }
python3 Benchmarks/bench.py "$@"
# Paged LIST vs streaming sync (client and server figures) and the report's JSON vs table peak.
python3 Benchmarks/sync_bench.py "$@"
# The running controller's CPU idle and at 100 pod changes a second.
exec python3 Benchmarks/steady_bench.py "$@"
