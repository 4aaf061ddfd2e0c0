#!/usr/bin/env python3
"""Initial sync by paged LIST vs by streaming watch (WatchList), and the report's output, against
one simulated API server per population, in one run.

For each population: start kube-sim (HTTPS, loopback), then `--repeats` times, alternating,
  - warden-bench sync --initial-sync list | stream under /usr/bin/time -v: the client's wall, CPU
    and peak RSS; and the simulated API server's own peak RSS during the sync (its high-water mark
    reset through /proc/PID/clear_refs just before) and its CPU;
  - token-warden report -A (table) and report -A -o json: peak RSS, wall, output bytes.
Prints one table (medians, ratios) and writes every sample to bench-results/sync-latest.json.
`make bench`: 20k pods; `make bench-full`: 20k and 150k pods.
"""
import argparse, datetime, json, os, platform, statistics, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import ROOT, Sim, log, process_cpu_seconds, timed  # noqa: E402


def status_bytes(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return None


def reset_peak(pid):
    """The kernel's 'peak RSS' (VmHWM) restarts from the current RSS (clear_refs 5, Linux ≥ 4.0)."""
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")


def timed_report(cmd, out_path):
    """Like timed(), for `token-warden report`, whose exit status 1 means 'workloads at risk'."""
    with open(out_path, "wb") as out:
        proc = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=out, stderr=subprocess.PIPE, text=True)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    figures = {"output_bytes": os.path.getsize(out_path)}
    for line in proc.stderr.splitlines():
        line = line.strip()
        if line.startswith("Maximum resident set size"):
            figures["peak_rss_bytes"] = int(line.split(":")[1]) * 1024
        elif line.startswith("Elapsed (wall clock)"):
            parts = line.split(": ", 1)[1].split(":")
            figures["wall_s"] = sum(float(p) * 60 ** i for i, p in enumerate(reversed(parts)))
    return figures


def run_population(args, name, spec, pods):
    workdir = os.path.join(args.out, "work", "sync-" + name)
    os.makedirs(workdir, exist_ok=True)
    sim = Sim(args.kube_sim, spec, workdir)
    # The malloc settings `token-warden run` makes at start-up, as in bench.py.
    env = ["env", "MALLOC_ARENA_MAX=2", "MALLOC_MMAP_THRESHOLD_=262144"]
    samples = {"list": [], "stream": [], "report_table": [], "report_json": []}
    try:
        for r in range(args.repeats):
            log(f"sync {name}: repeat {r + 1}/{args.repeats}")
            for mode in ("list", "stream") if r % 2 == 0 else ("stream", "list"):
                server_rss = status_bytes(sim.proc.pid, "VmRSS")
                reset_peak(sim.proc.pid)
                server_cpu = process_cpu_seconds(sim.proc.pid)
                out, t = timed(env + [args.warden_bench, "sync", "--kubeconfig", sim.kubeconfig, "--initial-sync", mode])
                inner = json.loads(out.strip().splitlines()[-1])
                if inner.get("streaming_unsupported"):
                    raise RuntimeError(f"the server refused the streaming sync: {inner['streaming_unsupported']}")
                samples[mode].append({
                    **inner, **{"time_" + k: v for k, v in t.items()},
                    "server_rss_before_bytes": server_rss,
                    "server_peak_rss_bytes": status_bytes(sim.proc.pid, "VmHWM"),
                    "server_cpu_s": process_cpu_seconds(sim.proc.pid) - server_cpu,
                })
            for key, extra in (("report_table", []), ("report_json", ["-o", "json"])):
                cmd = env + [args.token_warden, "report", "-A", "--kubeconfig", sim.kubeconfig] + extra
                samples[key].append(timed_report(cmd, os.path.join(workdir, key + ".out")))
    finally:
        sim.stop()
    return {"population": name, "spec": spec, "pods": pods, "samples": samples}


def med(rows, key):
    values = [row[key] for row in rows if row.get(key) is not None]
    return statistics.median(values) if values else None


def table(results):
    def mb(v):
        return "—" if v is None else f"{v / 1e6:.1f} MB"
    def sec(v):
        return "—" if v is None else f"{v:.2f} s"
    def ratio(a, b):
        return f"{a / b:.2f}×" if a and b else "—"
    lines = ["| population | figure | paged LIST | streaming watch | streaming ÷ LIST |", "|---|---|---|---|---|"]
    for pop in results["populations"]:
        s, name = pop["samples"], pop["population"]
        lst, stm = s["list"], s["stream"]
        for label, key, unit in (
            ("client: sync wall (median)", "sync_wall_s", sec),
            ("client: sync CPU (median)", "sync_cpu_s", sec),
            ("client: peak RSS of the process (median)", "time_peak_rss_bytes", mb),
            ("server: CPU during the sync (median)", "server_cpu_s", sec),
        ):
            a, b = med(lst, key), med(stm, key)
            lines.append(f"| {name} | {label} | {unit(a)} | {unit(b)} | {ratio(b, a)} |")
        for label, rows_key in (("server: peak RSS during the sync (median)", "server_peak_rss_bytes"),):
            a, b = med(lst, rows_key), med(stm, rows_key)
            ga = [r["server_peak_rss_bytes"] - r["server_rss_before_bytes"] for r in lst]
            gb = [r["server_peak_rss_bytes"] - r["server_rss_before_bytes"] for r in stm]
            lines.append(f"| {name} | {label} | {mb(a)} | {mb(b)} | {ratio(b, a)} |")
            lines.append(f"| {name} | server: growth above its RSS before the sync (median) | {mb(statistics.median(ga))} | "
                         f"{mb(statistics.median(gb))} | {ratio(statistics.median(gb), statistics.median(ga))} |")
    lines += ["", "| population | figure | report -A (table) | report -A -o json | json ÷ table |", "|---|---|---|---|---|"]
    for pop in results["populations"]:
        s, name = pop["samples"], pop["population"]
        t, j = s["report_table"], s["report_json"]
        for label, key, unit in (("peak RSS (median)", "peak_rss_bytes", mb), ("wall (median)", "wall_s", sec),
                                 ("output", "output_bytes", mb)):
            a, b = med(t, key), med(j, key)
            lines.append(f"| {name} | {label} | {unit(a)} | {unit(b)} | {ratio(b, a)} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--full", action="store_true", help="20k and 150k pods (default: 20k)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--bin", default=os.environ.get("BENCH_BIN", os.path.join(ROOT, ".build", "release")))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-results"))
    ap.add_argument("--only", help="run just this population name")
    args, _ = ap.parse_known_args()  # bench.py's options pass through run.sh
    args.kube_sim = os.path.join(args.bin, "kube-sim")
    args.warden_bench = os.path.join(args.bin, "warden-bench")
    args.token_warden = os.path.join(args.bin, "token-warden")
    for b in (args.kube_sim, args.warden_bench, args.token_warden):
        if not os.access(b, os.X_OK):
            sys.exit(f"missing {b}: `make bench` builds kube-sim, warden-bench and token-warden")
    pops = [("20k-10KB", 20_000)] + ([("150k-10KB", 150_000)] if args.full else [])
    if args.only:
        pops = [p for p in pops if p[0] == args.only]
    os.makedirs(args.out, exist_ok=True)
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?"),
                    "load_average_at_start": os.getloadavg()},
        "repeats": args.repeats, "populations": [],
    }
    for name, pods in pops:
        # The population of bench.py: 10 KB pods, a fifth of them started 330–360 days ago.
        spec = f"pods={pods},namespaces={max(10, pods // 1000)},podsize=10k,started=20%:330d-360d,80%:0d-300d,seed=1"
        results["populations"].append(run_population(args, name, spec, pods))
        with open(os.path.join(args.out, "sync-latest.json"), "w") as f:
            json.dump(results, f, indent=1)
    results["table"] = table(results)
    with open(os.path.join(args.out, "sync-latest.json"), "w") as f:
        json.dump(results, f, indent=1)
    print(f"\ninitial sync and report output — {results['date']} — {results['machine']['cpu']}, "
          f"{results['machine']['cpus']} cores, load {results['machine']['load_average_at_start'][0]:.1f} at start\n")
    print(results["table"])
    print(f"\nJSON: {os.path.join(args.out, 'sync-latest.json')}")


if __name__ == "__main__":
    main()
