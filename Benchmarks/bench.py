#!/usr/bin/env python3
"""token-warden vs kubectl against the same simulated API server, in one run.

For each generated population: start kube-sim (HTTPS, loopback), then repeat
  - warden-bench sync (fast and Foundation decoders) and `kubectl get pods -A -o json >/dev/null`,
    each under /usr/bin/time -v (wall, user+sys CPU, peak RSS of the child);
  - one request from process start to exit (warden-bench first-request vs kubectl get --raw /version);
once per run the controller as it ships (`token-warden run`, release build, against an empty server):
idle RSS and cold start to its first API request (see controller_figures); and once per population
the in-process figures (decode MB/s per core, watch events/s per core and latency, assess+plan CPU). Prints one table (min / median over repeats, ratios to kubectl) and
writes every sample and summary as JSON to bench-results/.
"""
import argparse, datetime, json, os, platform, re, shutil, socket, statistics, subprocess, sys, threading, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def timed(cmd, stdout=subprocess.PIPE):
    """Runs cmd under /usr/bin/time -v; returns (stdout text, {wall_s, cpu_s, peak_rss_bytes})."""
    proc = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=stdout, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    figures = {}
    for line in proc.stderr.splitlines():
        line = line.strip()
        if line.startswith("User time"):
            figures["cpu_s"] = figures.get("cpu_s", 0) + float(line.split(":")[1])
        elif line.startswith("System time"):
            figures["cpu_s"] = figures.get("cpu_s", 0) + float(line.split(":")[1])
        elif line.startswith("Maximum resident set size"):
            figures["peak_rss_bytes"] = int(line.split(":")[1]) * 1024
        elif line.startswith("Elapsed (wall clock)"):
            parts = line.split(": ", 1)[1].split(":")
            figures["wall_s"] = sum(float(p) * 60 ** i for i, p in enumerate(reversed(parts)))
    return (proc.stdout or ""), figures


class Sim:
    def __init__(self, binary, spec, workdir, extra_args=()):
        self.kubeconfig = os.path.join(workdir, "kubeconfig")
        log(f"starting kube-sim --generate {spec}")
        started = time.time()
        self.proc = subprocess.Popen(
            [binary, "--port", "0", "--generate", spec, "--write-kubeconfig", self.kubeconfig, "--log-level", "warning",
             *extra_args],
            stdout=subprocess.PIPE, stderr=open(os.path.join(workdir, "kube-sim.log"), "w"), text=True)
        for line in self.proc.stdout:
            if "ready at" in line:
                break
        else:
            raise RuntimeError("kube-sim exited before it was ready; see kube-sim.log")
        log(f"kube-sim ready in {time.time() - started:.1f}s")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def summary(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"min": min(values), "median": statistics.median(values), "n": len(values)}


def run_population(args, name, spec, pods, plan_only=False):
    workdir = os.path.join(args.out, "work", name)
    os.makedirs(workdir, exist_ok=True)
    sim = Sim(args.kube_sim, spec, workdir)
    # warden-bench runs with the malloc settings `token-warden run` makes at start-up
    # (ProcessMemory: two arenas, a fixed 256 KiB mmap threshold), so its memory figures are the controller's.
    bench = ["env", "MALLOC_ARENA_MAX=2", "MALLOC_MMAP_THRESHOLD_=262144", args.warden_bench, "--kubeconfig", sim.kubeconfig]
    samples = {"warden_fast": [], "warden_foundation": [], "kubectl": [], "first_request_warden_s": [],
               "first_request_kubectl_s": []}
    result = {"population": name, "spec": spec, "pods": pods, "samples": samples, "plan_only": plan_only}
    try:
        run_kubectl = pods <= args.kubectl_max_pods
        for r in range(0 if plan_only else args.repeats):
            log(f"{name}: repeat {r + 1}/{args.repeats}")
            for decoder in ("fast", "foundation"):
                if decoder == "foundation" and pods > args.foundation_max_pods:
                    continue
                out, t = timed(bench[:4] + ["sync"] + bench[4:] + ["--decoder", decoder, "--initial-sync", "list"])
                inner = json.loads(out.strip().splitlines()[-1])
                samples[f"warden_{decoder}"].append({**inner, **{"time_" + k: v for k, v in t.items()}})
            if run_kubectl:
                _, t = timed(["kubectl", "--kubeconfig", sim.kubeconfig, "get", "pods", "-A", "-o", "json"],
                             stdout=subprocess.DEVNULL)
                samples["kubectl"].append(t)
            for _ in range(3):
                started = time.perf_counter()
                subprocess.run(bench[:4] + ["first-request"] + bench[4:], check=True, stdout=subprocess.DEVNULL)
                samples["first_request_warden_s"].append(time.perf_counter() - started)
                started = time.perf_counter()
                subprocess.run(["kubectl", "--kubeconfig", sim.kubeconfig, "get", "--raw", "/version"], check=True,
                               stdout=subprocess.DEVNULL)
                samples["first_request_kubectl_s"].append(time.perf_counter() - started)
        log(f"{name}: " + ("plan figures" if plan_only else "decode, watch and plan figures"))
        commands = [["decode", "--pages", "4"], ["watch", "--events", str(args.watch_events)],
                    ["watch", "--events", str(min(args.watch_events, 4000)), "--decoder", "foundation"], ["plan"]]
        for command in commands[-1:] if plan_only else commands:
            out = subprocess.run(bench[:4] + [command[0]] + bench[4:] + command[1:], check=True, stdout=subprocess.PIPE,
                                 text=True).stdout
            figures = json.loads(out.strip().splitlines()[-1])
            key = command[0] + ("_foundation" if "foundation" in command else "")
            result[key] = figures
    finally:
        sim.stop()
    return result


class FirstRequestProxy:
    """A TCP relay in front of the API server that notes when a client's first HTTP request arrives.

    Over TLS the request is the first application-data record (type 23) after the client's
    handshake: the record following its ChangeCipherSpec (type 20) is its Finished (type 22 in
    TLS 1.2, 23 in TLS 1.3), the next type-23 record is the request. In plain HTTP it is the first byte.
    """

    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.port = self.server.getsockname()[1]
        self.first_request_at = None
        self.cpu_at_first_request = None
        self.client_pid = None
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self, client_pid=None):
        with self.lock:
            self.first_request_at = None
            self.cpu_at_first_request = None
            self.client_pid = client_pid

    def _note(self, at):
        with self.lock:
            if self.first_request_at is None or at < self.first_request_at:
                self.first_request_at = at
                if self.client_pid is not None:
                    self.cpu_at_first_request = process_cpu_seconds(self.client_pid)

    def _accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            for s in (client, upstream):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self._client_to_server, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    @staticmethod
    def _pipe(src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _client_to_server(self, src, dst):
        pending, tls, after_ccs, found = b"", None, None, False
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                at = time.perf_counter()
                if not found:
                    pending += data
                    if tls is None:
                        tls = pending[0] == 22
                    if not tls:
                        found = True
                        self._note(at)
                    while not found and len(pending) >= 5:
                        kind, length = pending[0], int.from_bytes(pending[3:5], "big")
                        if len(pending) < 5 + length:
                            break
                        pending = pending[5 + length:]
                        if kind == 20:
                            after_ccs = 0
                        elif after_ccs is not None:
                            after_ccs += 1
                            if after_ccs >= 2 and kind == 23:
                                found = True
                                self._note(at)
                dst.sendall(data)
        except OSError:
            pass
        self._pipe(src, dst)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_cpu_seconds(pid):
    """CPU time of every thread of pid so far, from the scheduler's nanosecond counters
    (/proc/PID/task/*/schedstat; /proc/PID/stat counts in 10 ms ticks). Exited threads are not
    included, so this is a lower bound."""
    total = 0
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                    total += int(f.read().split()[0])
            except OSError:
                pass
    except OSError:
        return None
    return total / 1e9


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return None


def private_library_copies(binary, directory):
    """Copies of the shared libraries `binary` loads (not the dynamic loader itself), for
    LD_LIBRARY_PATH: a process whose libraries no other process maps, as in its own container."""
    os.makedirs(directory, exist_ok=True)
    out = subprocess.run(["ldd", binary], stdout=subprocess.PIPE, text=True, check=True).stdout
    for line in out.splitlines():
        m = re.match(r"\s*(\S+) => (/\S+)", line)
        if m:
            shutil.copy(m.group(2), os.path.join(directory, m.group(1)))
    return directory


def controller_figures(args):
    """`token-warden run` (the release binary as shipped, default flags: leader election on)
    against an empty simulated cluster: exec → first API request at the server (through
    FirstRequestProxy) and the CPU used until then, exec → /readyz 200, and the process's RSS
    once it has been ready and idle for `--idle-seconds` (with probes and scrapes meanwhile). Every
    repeat runs twice: with the machine's libraries (shared with every other process here, so the
    kernel keeps their pages when the controller pages its start-up code out) and with private
    copies of them, as in the controller's own container; start-up figures come from the first."""
    workdir = os.path.join(args.out, "work", "controller-idle")
    os.makedirs(workdir, exist_ok=True)
    sim = Sim(args.kube_sim, "pods=0,namespaces=1", workdir)
    samples = {"first_request_s": [], "first_request_cpu_s": [], "ready_s": [], "idle_rss_bytes": [],
               "idle_rss_private_libraries_bytes": []}
    private_libraries = private_library_copies(args.token_warden, os.path.join(workdir, "libs"))
    try:
        with open(sim.kubeconfig) as f:
            original = f.read()
        server_port = int(re.search(r"server: https?://127\.0\.0\.1:(\d+)", original).group(1))
        proxy = FirstRequestProxy(server_port)
        kubeconfig = os.path.join(workdir, "kubeconfig-proxied")
        with open(kubeconfig, "w") as f:
            f.write(original.replace(f"127.0.0.1:{server_port}", f"127.0.0.1:{proxy.port}"))
        runs = [(r, private) for r in range(args.repeats) for private in (False, True)]
        for r, private in runs:
            port = free_port()
            proxy.reset()
            started = time.perf_counter()
            # Defaults as deployed (leader election on, Lease in the kubeconfig's namespace), with the
            # environment the image sets (Dockerfile).
            proc = subprocess.Popen([args.token_warden, "run", "--kubeconfig", kubeconfig,
                                     "--http-address", f"127.0.0.1:{port}", "--log-level", "warning"],
                                    env={**os.environ, "GNUTLS_NO_IMPLICIT_INIT": "1",
                                         **({"LD_LIBRARY_PATH": private_libraries} if private else {})},
                                    stdout=subprocess.DEVNULL, stderr=open(os.path.join(workdir, "token-warden.log"), "a"))
            proxy.client_pid = proc.pid
            ready = None
            try:
                while ready is None and time.perf_counter() - started < 30:
                    if proc.poll() is not None:
                        raise RuntimeError(f"token-warden run exited ({proc.returncode}); see {workdir}/token-warden.log")
                    try:
                        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as response:
                            if response.status == 200:
                                ready = time.perf_counter() - started
                    except OSError:
                        time.sleep(0.002)
                idle_until = time.perf_counter() + args.idle_seconds
                while time.perf_counter() < idle_until:
                    # What a deployed controller serves while idle: kubelet probes and a Prometheus scrape.
                    for path in ("/healthz", "/readyz", "/metrics"):
                        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                            response.read()
                    time.sleep(min(10, max(0, idle_until - time.perf_counter())))
                samples["idle_rss_private_libraries_bytes" if private else "idle_rss_bytes"].append(rss_bytes(proc.pid))
            finally:
                proc.terminate()
                proc.wait(timeout=20)
            if private:
                continue  # start-up figures from the runs with the machine's own libraries only
            samples["ready_s"].append(ready)
            if proxy.first_request_at is not None:
                samples["first_request_s"].append(proxy.first_request_at - started)
                samples["first_request_cpu_s"].append(proxy.cpu_at_first_request)
    finally:
        sim.stop()
    return {"samples": samples, "summary": {k: summary(v) for k, v in samples.items()}}


def controller_table(figures):
    sm = figures["summary"]
    def cell(key, unit):
        x = sm.get(key)
        return f"{fmt(x['min'], unit)} / {fmt(x['median'], unit)}" if x else "—"
    return "\n".join([
        "| token-warden run, empty cluster (min / median) | figure |",
        "|---|---|",
        f"| idle RSS (ready, no pods, after {figures['idle_seconds']:g} s) | {cell('idle_rss_bytes', 'MB')} |",
        f"| … its libraries private to it, as in its own container | {cell('idle_rss_private_libraries_bytes', 'MB')} |",
        f"| cold start: exec → first API request at the server | {cell('first_request_s', 'ms')} |",
        f"| CPU used until that request (all threads) | {cell('first_request_cpu_s', 'ms')} |",
        f"| exec → /readyz 200 (caches synced) | {cell('ready_s', 'ms')} |",
    ])


def summarise(pop):
    s = pop["samples"]
    def pick(rows, key):
        return summary([row.get(key) for row in rows])
    out = {}
    for who in ("warden_fast", "warden_foundation"):
        rows = s[who]
        out[who] = {
            "sync_wall_s": pick(rows, "sync_wall_s"), "sync_cpu_s": pick(rows, "sync_cpu_s"),
            "process_peak_rss_bytes": pick(rows, "time_peak_rss_bytes"),
            "retained_bytes_per_pod": pick(rows, "retained_bytes_per_pod"), "idle_rss_bytes": pick(rows, "idle_rss_bytes"),
            "synced_rss_bytes": pick(rows, "synced_rss_bytes"), "peak_over_steady": pick(rows, "peak_over_steady"),
        }
    out["kubectl"] = {"wall_s": pick(s["kubectl"], "wall_s"), "cpu_s": pick(s["kubectl"], "cpu_s"),
                      "peak_rss_bytes": pick(s["kubectl"], "peak_rss_bytes")}
    out["first_request_warden_s"] = summary(s["first_request_warden_s"])
    out["first_request_kubectl_s"] = summary(s["first_request_kubectl_s"])
    pop["summary"] = out


def fmt(v, unit=""):
    if v is None:
        return "—"
    if unit == "MB":
        return f"{v / 1e6:.1f} MB"
    if unit == "ms":
        return f"{v * 1000:.0f} ms" if v >= 0.01 else f"{v * 1000:.2f} ms"
    if unit == "s":
        return f"{v:.2f} s"
    if isinstance(v, float):
        return f"{v:,.1f}" if v < 1000 else f"{v:,.0f}"
    return str(v)


def table(results):
    lines = ["| population | figure | token-warden (fast decoder) | token-warden (Foundation) | kubectl | kubectl ÷ token-warden |",
             "|---|---|---|---|---|---|"]
    for pop in results["populations"]:
        sm, name = pop["summary"], pop["population"]
        f, g, k = sm["warden_fast"], sm["warden_foundation"], sm["kubectl"]
        def med(x):
            return x["median"] if x else None
        def mn(x):
            return x["min"] if x else None
        def ratio(a, b):
            return f"{a / b:.1f}×" if a and b else "—"
        p = pop.get("plan", {})
        plan_rows = [
            (f"assess + plan CPU, first pass ({p.get('pods', '?')} pods, {p.get('workloads', '?')} workloads)",
             fmt(p.get("assess_plan_cpu_s"), "s"), "—", "—", "—"),
            ("assess + plan CPU, steady pass (unchanged workloads reused)", fmt(p.get("steady_assess_plan_cpu_s"), "s"), "—", "—", "—"),
        ]
        if pop.get("plan_only"):
            for label, *cells in plan_rows:
                lines.append(f"| {name} | {label} | " + " | ".join(cells) + " |")
            continue
        rows = [
            ("LIST → synced, wall (min / median)", f"{fmt(mn(f['sync_wall_s']), 's')} / {fmt(med(f['sync_wall_s']), 's')}",
             f"{fmt(mn(g['sync_wall_s']), 's')} / {fmt(med(g['sync_wall_s']), 's')}",
             f"{fmt(mn(k['wall_s']), 's')} / {fmt(med(k['wall_s']), 's')}", ratio(med(k["wall_s"]), med(f["sync_wall_s"]))),
            ("LIST → synced, CPU (median)", fmt(med(f["sync_cpu_s"]), "s"), fmt(med(g["sync_cpu_s"]), "s"),
             fmt(med(k["cpu_s"]), "s"), ratio(med(k["cpu_s"]), med(f["sync_cpu_s"]))),
            ("peak RSS of the process (median)", fmt(med(f["process_peak_rss_bytes"]), "MB"),
             fmt(med(g["process_peak_rss_bytes"]), "MB"), fmt(med(k["peak_rss_bytes"]), "MB"),
             ratio(med(k["peak_rss_bytes"]), med(f["process_peak_rss_bytes"]))),
            ("RSS after sync / peak ÷ steady", f"{fmt(med(f['synced_rss_bytes']), 'MB')} / {fmt(med(f['peak_over_steady']))}",
             f"{fmt(med(g['synced_rss_bytes']), 'MB')} / {fmt(med(g['peak_over_steady']))}", "—", "—"),
            ("retained bytes per cached pod", fmt(med(f["retained_bytes_per_pod"])), fmt(med(g["retained_bytes_per_pod"])), "—", "—"),
            ("client-only idle RSS (warden-bench, no pods)", fmt(med(f["idle_rss_bytes"]), "MB"), fmt(med(g["idle_rss_bytes"]), "MB"), "—", "—"),
            ("one request: process start → exit (median)", fmt(med(sm["first_request_warden_s"]), "ms"), "—",
             fmt(med(sm["first_request_kubectl_s"]), "ms"), ratio(med(sm["first_request_kubectl_s"]), med(sm["first_request_warden_s"]))),
        ]
        d = pop.get("decode", {})
        rows.append(("decode list pages, MB/s per core", fmt(d.get("list_mb_per_core_s_fast")),
                     fmt(d.get("list_mb_per_core_s_foundation")), "—", "—"))
        rows.append(("decode watch lines, MB/s per core", fmt(d.get("watch_mb_per_core_s_fast")),
                     fmt(d.get("watch_mb_per_core_s_foundation")), "—", "—"))
        w, wf = pop.get("watch", {}), pop.get("watch_foundation", {})
        rows.append(("watch MODIFIED events/s per core (decode→cache→assess→plan)", fmt(w.get("events_per_core_s")),
                     fmt(wf.get("events_per_core_s")), "—", "—"))
        rows.append(("event → decision p50 / p99", f"{fmt(w.get('latency_p50_ms'))} / {fmt(w.get('latency_p99_ms'))} ms",
                     f"{fmt(wf.get('latency_p50_ms'))} / {fmt(wf.get('latency_p99_ms'))} ms", "—", "—"))
        rows += plan_rows
        for label, *cells in rows:
            lines.append(f"| {name} | {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# P6's shape: 150k pods in about 10k workloads (15 pods each on average; the default mix has
# 48k workloads, with many single-pod Jobs and bare pods). Only the assess + plan figures differ.
TEN_K_WORKLOADS = ("150k-10KB-10k-workloads", 150_000, "10k",
                   "replicas=10-20,mix=deployment:70,statefulset:12,replicationcontroller:4,replicaset:4,custom:10")


def intake_figures(args):
    """warden-bench intake: the best of the repeats by events per CPU-second (the process's own,
    client included), with the memory after half and after all the batches."""
    runs = []
    for _ in range(max(1, args.repeats)):
        out = subprocess.run([args.warden_bench, "intake", "--batches", "250", "--events-per-batch", "400"],
                             stdout=subprocess.PIPE, text=True, check=True).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    best = max(runs, key=lambda r: r["eventsPerCPUSecond"])
    return {**best, "samples": runs}


def intake_table(figures):
    return "\n".join([
        "| audit webhook intake (authenticated, TLS, 400 events per batch) | value |",
        "|---|---|",
        f"| events per CPU-second (whole process, client included; goal ≥ 50,000) | {figures['eventsPerCPUSecond']:,.0f} |",
        f"| events per second (wall) | {figures['eventsPerSecond']:,.0f} |",
        f"| batch size | {figures['bytesPerBatch'] / 1024:,.0f} KiB |",
        f"| RSS after half / all of {figures['events']:,} events | {figures['rssAfterHalfMiB']:.1f} / {figures['rssAfterAllMiB']:.1f} MiB |",
        f"| pods with evidence kept (bounded at {figures['evidenceCapacity']:,}) | {figures['podsWithEvidence']:,} |",
    ])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--full", action="store_true", help="10k, 20k, 50k, 150k pods (10 KB), 10k, 40k pods (40 KB), 150k pods in 10k workloads")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--bin", default=os.environ.get("BENCH_BIN", os.path.join(ROOT, ".build", "release")))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-results"))
    ap.add_argument("--kubectl-max-pods", type=int, default=50_000,
                    help="kubectl holds the whole list in memory (GBs at 50k pods); larger populations skip it")
    ap.add_argument("--foundation-max-pods", type=int, default=50_000)
    ap.add_argument("--watch-events", type=int, default=20_000)
    ap.add_argument("--only", help="run just this population name (without the controller's idle/start-up figures)")
    ap.add_argument("--idle-seconds", type=float, default=65.0,
                    help="how long the controller idles (probed and scraped every 10 s) before its RSS is read; "
                         "the default covers one resync (1 m)")
    ap.add_argument("--controller-only", action="store_true", help="only the token-warden run figures (idle RSS, cold start)")
    args = ap.parse_args()
    args.kube_sim = os.path.join(args.bin, "kube-sim")
    args.warden_bench = os.path.join(args.bin, "warden-bench")
    args.token_warden = os.path.join(args.bin, "token-warden")
    for b in (args.kube_sim, args.warden_bench, args.token_warden):
        if not os.access(b, os.X_OK):
            sys.exit(f"missing {b}: `make bench` builds kube-sim, warden-bench and token-warden "
                     "(swift build -c release --static-swift-stdlib --product ...)")
    if args.full:
        pops = [("10k-10KB", 10_000, "10k"), ("20k-10KB", 20_000, "10k"), ("50k-10KB", 50_000, "10k"), ("150k-10KB", 150_000, "10k"),
                ("10k-40KB", 10_000, "40k"), ("40k-40KB", 40_000, "40k"), TEN_K_WORKLOADS]
    else:
        pops = [("5k-10KB", 5_000, "10k"), ("1250-40KB", 1_250, "40k")]
    if args.only:
        pops = [p for p in pops if p[0] == args.only]
    os.makedirs(args.out, exist_ok=True)
    kubectl_version = subprocess.run(["kubectl", "version", "--client", "-o", "json"], stdout=subprocess.PIPE, text=True).stdout
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?"),
                    "load_average_at_start": os.getloadavg()},
        "kubectl": json.loads(kubectl_version or "{}").get("clientVersion", {}).get("gitVersion"),
        "repeats": args.repeats, "populations": [],
    }
    if not args.only:
        log("controller: idle RSS and cold start of token-warden run against an empty server")
        results["controller"] = {**controller_figures(args), "idle_seconds": args.idle_seconds}
    if args.controller_only:
        pops = []
    if not args.only and not args.controller_only:
        log("intake: authenticated audit webhook batches (400 realistic events each) over TLS on loopback")
        results["intake"] = intake_figures(args)
    for name, pods, size, *shape in pops:
        namespaces = max(10, pods // 1000)
        # A fifth of the pods started 330–360 days ago: their tokens are at risk, so the planner has work.
        spec = f"pods={pods},namespaces={namespaces},podsize={size},started=20%:330d-360d,80%:0d-300d,seed=1"
        if shape:
            spec += "," + shape[0]
        pop = run_population(args, name, spec, pods, plan_only=bool(shape))
        summarise(pop)
        results["populations"].append(pop)
        with open(os.path.join(args.out, "latest.json"), "w") as f:
            json.dump(results, f, indent=1)
    results["table"] = table(results)
    results["controller_table"] = controller_table(results["controller"]) if "controller" in results else ""
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    for path in (os.path.join(args.out, f"bench-{stamp}.json"), os.path.join(args.out, "latest.json")):
        with open(path, "w") as f:
            json.dump(results, f, indent=1)
    print(f"\ntoken-warden benchmark — {results['date']} — {results['machine']['cpu']}, {results['machine']['cpus']} cores, "
          f"load {results['machine']['load_average_at_start'][0]:.1f} at start; kubectl {results['kubectl']}\n")
    print(results["table"])
    print()
    print(results["controller_table"])
    if "intake" in results:
        print()
        print(intake_table(results["intake"]))
    print(f"\nJSON: {os.path.join(args.out, 'latest.json')}")


if __name__ == "__main__":
    main()
