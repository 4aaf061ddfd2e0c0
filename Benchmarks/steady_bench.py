#!/usr/bin/env python3
"""The running controller's steady state: `token-warden run` (release binary, --mode report, no
leader election) against kube-sim with a generated population, once synced and idle, then while
kube-sim changes random pods at --churn per second (POST /kube-sim/churn: one MODIFIED event
each). CPU of the controller per second of wall time (/proc/PID/stat) idle and under churn, and
its RSS. The population has nothing at risk, so no Events are written. Writes bench-results/steady-latest.json and prints one table.
`make bench`: 20k pods; `make bench-full`: 20k and 150k pods.
"""
import argparse, base64, datetime, json, os, platform, re, ssl, subprocess, sys, tempfile, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import ROOT, Sim, free_port, log, rss_bytes  # noqa: E402


def admin_request(kubeconfig, method, path, body=None, timeout=10):
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


def run_population(args, name, spec, pods):
    workdir = os.path.join(args.out, "work", "steady-" + name)
    os.makedirs(workdir, exist_ok=True)
    sim = Sim(args.kube_sim, spec, workdir)
    result = {"population": name, "spec": spec, "pods": pods, "churn_per_second": args.churn}
    try:
        port = free_port()
        started = time.perf_counter()
        proc = subprocess.Popen([args.token_warden, "run", "--kubeconfig", sim.kubeconfig, "--mode", "report",
                                 "--no-leader-elect", "--http-address", f"127.0.0.1:{port}", "--log-level", "error"],
                                env={**os.environ, "GNUTLS_NO_IMPLICIT_INIT": "1"}, stdout=subprocess.DEVNULL,
                                stderr=open(os.path.join(workdir, "token-warden.log"), "w"))
        try:
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"token-warden run exited ({proc.returncode}); see {workdir}/token-warden.log")
                if time.perf_counter() - started > 600:
                    raise RuntimeError("token-warden run was not ready within 10 minutes")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    time.sleep(0.2)
            result["ready_s"] = time.perf_counter() - started
            log(f"steady {name}: ready after {result['ready_s']:.1f}s; settling {args.settle}s")
            time.sleep(args.settle)  # the first passes, Events and memo fill-up
            result["idle_cpu_per_s"] = cpu_per_second(proc.pid, args.seconds)
            result["idle_rss_bytes"] = rss_bytes(proc.pid)
            log(f"steady {name}: churn {args.churn}/s")
            admin_post(sim.kubeconfig, "/kube-sim/churn", {"perSecond": args.churn})
            time.sleep(5)
            result["churn_cpu_per_s"] = cpu_per_second(proc.pid, args.seconds)
            result["churn_rss_bytes"] = rss_bytes(proc.pid)
            admin_post(sim.kubeconfig, "/kube-sim/churn", {"perSecond": 0})
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    finally:
        sim.stop()
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
    print("| population | ready after | CPU idle (share of one core) | CPU at %g pod changes/s | RSS idle / churning |" % args.churn)
    print("|---|---|---|---|---|")
    for r in results["populations"]:
        print(f"| {r['population']} | {r['ready_s']:.1f} s | {100 * r['idle_cpu_per_s']:.1f} % | {100 * r['churn_cpu_per_s']:.1f} % | "
              f"{r['idle_rss_bytes'] / 1e6:.0f} MB / {r['churn_rss_bytes'] / 1e6:.0f} MB |")


if __name__ == "__main__":
    main()
