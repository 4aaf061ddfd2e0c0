#!/usr/bin/env python3
"""Two controller builds side by side in one steady state: both `token-warden run` (--mode report,
no leader election) against one kube-sim and one churn stream, their CPU measured over the same
seconds. On a machine whose speed drifts from one run to the next (this 2-core one reads the
same build anywhere from 6.3 % to 8.8 % within an hour), only a comparison inside one run tells a change of a
few tenths of a point from the machine's. Each build watches everything and decides every
event, so both see the same load; they share the two cores with each other and with kube-sim.

    python3 Benchmarks/steady_ab.py OLD_BINARY NEW_BINARY [--pods 20000] [--kind readiness] [--seconds 30]

Prints, per build: CPU (share of one core), event → decision p50 / p99, events decided,
reconcile passes a second and the mean pass. Swap the order in a second run: the first build
started has no advantage that the figures show, but a second run costs little.
"""
import argparse, os, re, subprocess, sys, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import ROOT, Sim, free_port, log  # noqa: E402
import steady_bench as steady  # noqa: E402


def passes(port):
    """(count, sum of seconds) of the controller's reconcile passes so far."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        text = response.read().decode()
    def value(name):
        m = re.search(rf"^{name} (\S+)$", text, re.M)
        return float(m.group(1)) if m else 0.0
    return value("token_warden_reconcile_pass_seconds_count"), value("token_warden_reconcile_pass_seconds_sum")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binaries", nargs=2, help="two token-warden binaries")
    ap.add_argument("--pods", type=int, default=20000)
    ap.add_argument("--kind", choices=[k for k, _ in steady.CHURN_KINDS], default="readiness")
    ap.add_argument("--churn", type=float, default=100, help="pod changes per second")
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--settle", type=float, default=20)
    ap.add_argument("--bin", default=os.environ.get("BENCH_BIN", os.path.join(ROOT, ".build", "release")))
    args = ap.parse_args()
    work = os.path.join(ROOT, "bench-results", "work", "steady-ab")
    os.makedirs(work, exist_ok=True)
    mix = dict(steady.CHURN_KINDS)[args.kind]
    sim = Sim(os.path.join(args.bin, "kube-sim"),
              f"pods={args.pods},namespaces=20,podsize=10k,started=100%:0d-300d,seed=1", work)
    controllers = []
    try:
        for i, binary in enumerate(args.binaries):
            port = free_port()
            log_path = os.path.join(work, f"token-warden-{i}.log")
            proc = subprocess.Popen([binary, "run", "--kubeconfig", sim.kubeconfig, "--mode", "report", "--no-leader-elect",
                                     "--http-address", f"127.0.0.1:{port}", "--log-level", "error"],
                                    stdout=subprocess.DEVNULL, stderr=open(log_path, "w"))
            controllers.append((binary, proc, port, log_path))
        for _, proc, port, log_path in controllers:
            steady.wait_ready(proc, port, time.perf_counter(), log_path)
        log(f"both ready; settling {args.settle:.0f}s, then {args.churn:.0f} {args.kind} changes/s")
        time.sleep(args.settle)
        steady.admin_post(sim.kubeconfig, "/kube-sim/churn", {"perSecond": args.churn, **mix})
        time.sleep(5)
        name = "token_warden_event_to_decision_seconds"
        before = [(steady.histogram(port, name), passes(port), steady.process_cpu_ticks_seconds(proc.pid))
                  for _, proc, port, _ in controllers]
        started = time.perf_counter()
        time.sleep(args.seconds)
        wall = time.perf_counter() - started
        after = [(steady.histogram(port, name), passes(port), steady.process_cpu_ticks_seconds(proc.pid))
                 for _, proc, port, _ in controllers]
        steady.admin_post(sim.kubeconfig, "/kube-sim/churn", {"perSecond": 0})
        print(f"| build | CPU | event → decision p50 / p99 | decided | passes/s | mean pass |")
        print(f"|---|---|---|---|---|---|")
        for (binary, *_), (h0, p0, c0), (h1, p1, c1) in zip(controllers, before, after):
            p50, p99 = steady.quantile(0.5, h0, h1), steady.quantile(0.99, h0, h1)
            count = p1[0] - p0[0]
            mean = (p1[1] - p0[1]) / count if count else 0
            latency = "— / —" if p50 is None else f"{1000 * p50:.0f} ms / {1000 * p99:.0f} ms"
            print(f"| {binary} | {100 * (c1 - c0) / wall:.2f} % | {latency} | {h1.get(float('inf'), 0) - h0.get(float('inf'), 0):.0f} | "
                  f"{count / wall:.1f} | {1000 * mean:.2f} ms |")
    finally:
        for _, proc, _, _ in controllers:
            proc.terminate()
            proc.wait(timeout=30)
        sim.stop()


if __name__ == "__main__":
    main()
