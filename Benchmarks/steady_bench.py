#!/usr/bin/env python3
"""The running controller's steady state: `token-warden run` (release binary, --mode report, no
leader election) against kube-sim with a generated population, once synced and idle, then while
kube-sim changes random pods at --churn per second (POST /kube-sim/churn: one MODIFIED event
each). CPU of the controller per second of wall time (/proc/PID/stat) idle and under churn of
two kinds (CHURN_KINDS), its RSS, and event → decision latency under churn (p50/p99 of
token_warden_event_to_decision_seconds over the churn window: from the event's write into the
watch cache to the end of planning of the pass that took it in). Each population runs the controller twice against the same kube-sim:
`--reconcile full` (every workload assessed at every pass: before) and `--reconcile incremental`
(the default: after). The population has nothing at risk, so no Events are written. Writes
bench-results/steady-latest.json and prints one table.
`make bench`: 20k pods; `make bench-full`: 20k and 150k pods.
"""
import argparse, base64, datetime, json, os, platform, re, ssl, subprocess, sys, tempfile, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import ROOT, Sim, free_port, log, rss_bytes  # noqa: E402


def wait_ready(proc, port, started, log_path):
    """Waits until `token-warden run` answers /readyz (10 minutes at most, or until it exits)."""
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"token-warden run exited ({proc.returncode}); see {log_path}")
        if time.perf_counter() - started > 600:
            raise RuntimeError("token-warden run was not ready within 10 minutes")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)


def admin_request(kubeconfig, method, path, body=None, timeout=60):
    """A request to kube-sim's admin API with the kubeconfig's token, verified against its CA; the answer's body."""
    text = open(kubeconfig).read()
    server = re.search(r"server: (\S+)", text).group(1)
    token = re.search(r"token: (\S+)", text).group(1)
    ca = base64.b64decode(re.search(r"certificate-authority-data: (\S+)", text).group(1)).decode()
    context = ssl.create_default_context(cadata=ca)
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server + path, data=data, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, context=context, timeout=timeout) as response:
        return response.read()


def admin_post(kubeconfig, path, body):
    """POST to kube-sim's admin API (see admin_request)."""
    admin_request(kubeconfig, "POST", path, body)


def process_cpu_ticks_seconds(pid):
    """user + system time of the whole process, exited threads included (/proc/PID/stat, 10 ms ticks)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_per_second(pid, seconds):
    cpu0, wall0 = process_cpu_ticks_seconds(pid), time.perf_counter()
    time.sleep(seconds)
    return (process_cpu_ticks_seconds(pid) - cpu0) / (time.perf_counter() - wall0)


def histogram(port, name):
    """Cumulative bucket counts {le: count} of one histogram on the controller's /metrics."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        text = response.read().decode()
    buckets = {}
    for line in text.splitlines():
        m = re.match(name + r'_bucket\{le="([^"]+)"\} (\S+)', line)
        if m:
            buckets[float("inf") if m.group(1) == "+Inf" else float(m.group(1))] = float(m.group(2))
    return buckets


def quantile(q, before, after):
    """histogram_quantile over the increase between two scrapes (linear within a bucket, as Prometheus does)."""
    bounds = sorted(after)
    counts = [after[b] - before.get(b, 0) for b in bounds]
    total = counts[-1] if counts else 0
    if total <= 0:
        return None
    rank, lower, below = q * total, 0.0, 0.0
    for bound, count in zip(bounds, counts):
        if count >= rank:
            if bound == float("inf"):
                return lower
            return lower + (bound - lower) * (rank - below) / max(count - below, 1e-9)
        lower, below = bound, count
    return lower


# The two kinds of pod change the churn phases make (kube-sim's PodChurn.Mix). An annotation
# of another tool changes nothing the controller's pod records keep: the store takes it in and
# no pass runs for it. A readiness flip (the kubelet reporting a probe) changes the record: its
# workload is assessed again and a pass decides it — these give the event → decision latency.
CHURN_KINDS = [("annotations", {}), ("readiness", {"readiness": 1})]


def run_population(args, name, spec, pods):
    workdir = os.path.join(args.out, "work", "steady-" + name)
    os.makedirs(workdir, exist_ok=True)
    sim = Sim(args.kube_sim, spec, workdir)
    result = {"population": name, "spec": spec, "pods": pods, "churn_per_second": args.churn, "passes": {}}
    try:
        for reconcile in ("full", "incremental"):
            result["passes"][reconcile] = run_controller(args, name, sim, workdir, reconcile)
    finally:
        sim.stop()
    return result


def run_controller(args, name, sim, workdir, reconcile):
    result = {}
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([args.token_warden, "run", "--kubeconfig", sim.kubeconfig, "--mode", "report",
                             "--reconcile", reconcile,
                             "--no-leader-elect", "--http-address", f"127.0.0.1:{port}", "--log-level", "error"],
                            env={**os.environ, "GNUTLS_NO_IMPLICIT_INIT": "1"}, stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(workdir, f"token-warden-{reconcile}.log"), "w"))
    try:
        wait_ready(proc, port, started, f"{workdir}/token-warden-{reconcile}.log")
        result["ready_s"] = time.perf_counter() - started
        log(f"steady {name} ({reconcile}): ready after {result['ready_s']:.1f}s; settling {args.settle}s")
        time.sleep(args.settle)  # the first passes, Events and memo fill-up
        result["idle_cpu_per_s"] = cpu_per_second(proc.pid, args.seconds)
        result["idle_rss_bytes"] = rss_bytes(proc.pid)
        result["churn"] = {}
        for kind, mix in CHURN_KINDS:
            log(f"steady {name} ({reconcile}): churn {args.churn}/s, {kind}")
            admin_post(sim.kubeconfig, "/kube-sim/churn", {"perSecond": args.churn, **mix})
            time.sleep(5)
            latency_name = "token_warden_event_to_decision_seconds"
            before = histogram(port, latency_name)
            phase = {"cpu_per_s": cpu_per_second(proc.pid, args.seconds)}
            after = histogram(port, latency_name)
            phase["rss_bytes"] = rss_bytes(proc.pid)
            phase["events_decided"] = after.get(float("inf"), 0) - before.get(float("inf"), 0)
            phase["event_to_decision_p50_s"] = quantile(0.5, before, after)
            phase["event_to_decision_p99_s"] = quantile(0.99, before, after)
            admin_post(sim.kubeconfig, "/kube-sim/churn", {"perSecond": 0})
            result["churn"][kind] = phase
            time.sleep(2)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--full", action="store_true", help="20k and 150k pods (default: 20k)")
    ap.add_argument("--churn", type=float, default=100, help="pod changes per second")
    ap.add_argument("--seconds", type=float, default=30, help="length of each CPU measurement")
    ap.add_argument("--settle", type=float, default=30, help="seconds between ready and the idle measurement")
    ap.add_argument("--bin", default=os.environ.get("BENCH_BIN", os.path.join(ROOT, ".build", "release")))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-results"))
    ap.add_argument("--only", help="run just this population name")
    args, _ = ap.parse_known_args()  # bench.py's options pass through run.sh
    args.kube_sim = os.path.join(args.bin, "kube-sim")
    args.token_warden = os.path.join(args.bin, "token-warden")
    pops = [("20k-10KB", 20_000)] + ([("150k-10KB", 150_000)] if args.full else [])
    if args.only:
        pops = [p for p in pops if p[0] == args.only]
    os.makedirs(args.out, exist_ok=True)
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "load_average_at_start": os.getloadavg()},
        "populations": [],
    }
    for name, pods in pops:
        # Nothing at risk: the controller writes no Events, so the figures are the watch and the
        # reconcile passes alone (bench.py's mix puts a fifth at risk: Events paced at 20/s for hours).
        spec = f"pods={pods},namespaces={max(10, pods // 1000)},podsize=10k,started=100%:0d-300d,seed=1"
        results["populations"].append(run_population(args, name, spec, pods))
    with open(os.path.join(args.out, "steady-latest.json"), "w") as f:
        json.dump(results, f, indent=1)
    print(f"\ncontroller steady state — {results['date']} — {results['machine']['cpus']} cores, "
          f"load {results['machine']['load_average_at_start'][0]:.1f} at start\n")
    def ms(seconds):
        return "—" if seconds is None else f"{1000 * seconds:.0f} ms"
    print("| population | passes | ready after | CPU idle (share of one core) | %g pod changes/s of | CPU | event → decision p50 / p99 | RSS idle / churning |" % args.churn)
    print("|---|---|---|---|---|---|---|---|")
    for p in results["populations"]:
        for reconcile, r in p["passes"].items():
            for kind, c in r["churn"].items():
                print(f"| {p['population']} | {reconcile} | {r['ready_s']:.1f} s | {100 * r['idle_cpu_per_s']:.1f} % | {kind} | "
                      f"{100 * c['cpu_per_s']:.1f} % | {ms(c['event_to_decision_p50_s'])} / {ms(c['event_to_decision_p99_s'])} | "
                      f"{r['idle_rss_bytes'] / 1e6:.0f} MB / {c['rss_bytes'] / 1e6:.0f} MB |")


if __name__ == "__main__":
    main()
