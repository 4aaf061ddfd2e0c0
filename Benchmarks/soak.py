#!/usr/bin/env python3
"""The soak: `token-warden run` (release binary, its own process) against kube-sim on 127.0.0.1 for
SOAK_MINUTES (default 60) with 20k pods of every kind, some of them old enough to be due for a
restart, 100 pod changes a second and a fault every few minutes. `make soak`.

- Churn: kube-sim's own churn (POST /kube-sim/churn) at --churn changes a second, mixed: pod
  annotation and label changes, deletions of pods whose owner replaces them, and Deployment
  rollouts (a template annotation).
- Faults, in turn, every --fault-interval seconds: every watch dropped; 410 Gone (history
  compacted, then every watch dropped, so each reconnects from a version that is gone); 429 with
  Retry-After for the next requests (and the watches dropped, so the reconnects meet it); a server
  restart (history compacted, every connection closed, the state kept).
- Every --sample-interval seconds a sample: the churn is paused, then the controller's caches
  (GET /debug/caches on its metrics listener: per resource a count and a digest over
  uid+resourceVersion) are compared with the same computed by kube-sim from its objects
  (GET /kube-sim/digest), again every quarter second until they are equal or --settle-bound
  seconds have passed; then the churn resumes. The controller's RSS, CPU seconds, open fds and
  threads are read from /proc/PID; restarts made from kube-sim's request log (the controller has
  its own token, so its requests are its own) and from the controller's RestartStarted Events.
- Restarts: a rollout restart is a strategic-merge PATCH of a Deployment, StatefulSet or
  DaemonSet by the controller (nothing else it sends is one); a pod-by-pod restart is a
  RestartStarted Event whose action is Evict (an Event's count says how often it was emitted).
  Duplicate: a workload restarted twice in the run (a restart makes every token new, so no
  workload can be due twice within hours). Unexpected: a workload restarted that
  `token-warden report` did not find due (at risk or expired, with an action) before the start.

At the end one table (rows condensed) and a verdict; exit 1 when it fails: caches equal at every
sample; RSS flat after the warm-up (least-squares slope <= --max-rss-slope MB per hour over the
samples after min(10 min, a third of the run), the slopes of its anonymous and file-backed parts
shown beside it); no duplicate or unexpected restart; open fds
and threads at the end <= their maximum during the warm-up + a small margin. Results:
bench-results/soak-DATE.md and .json. Loopback only.
"""
import argparse, datetime, json, os, platform, re, secrets, subprocess, sys, time, urllib.error, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import ROOT, Sim, free_port, log  # noqa: E402
from steady_bench import admin_request, wait_ready  # noqa: E402
from soak_measure import digest_lines, proc_figures, slope_per_hour  # noqa: E402

CONTROLLER_USER = "system:serviceaccount:token-warden:token-warden"
ROLLOUT_KINDS = {"deployments", "statefulsets", "daemonsets"}
FAULTS = ["watch-drop", "gone-410", "throttle-429", "server-restart"]
DUE_STATUSES = {"expired", "at-risk", "invalidated", "confirmed-stale"}
FD_MARGIN, THREAD_MARGIN = 8, 4


class Soak:
    def __init__(self, args):
        self.args = args
        self.workdir = os.path.join(args.out, "work", "soak")
        os.makedirs(self.workdir, exist_ok=True)
        self.samples, self.faults = [], []
        self.churn = {"perSecond": args.churn, "labels": 0.2, "deletes": 0.05, "rollouts": 0.002}

    # kube-sim and the controller

    def admin(self, method, path, body=None, timeout=60):
        """An admin-token request; retried a few times on a refused or cut connection and on the
        API's injected 429s (admin paths are never faulted, API paths like /api/v1/events are)."""
        for attempt in range(10):
            try:
                return admin_request(self.sim.kubeconfig, method, path, body, timeout=timeout)
            except urllib.error.HTTPError as error:
                if error.code not in (429, 500, 503) or attempt == 9:
                    raise
                time.sleep(min(5, int(error.headers.get("Retry-After") or 1)))
            except OSError as error:  # refused, reset, timed out (a loaded machine)
                if attempt == 9:
                    raise
                log(f"{method} {path}: {error}; again")
                time.sleep(0.5)

    def controller_kubeconfig(self):
        """A kubeconfig like the admin's with a token of the controller's own (full rights)."""
        token = "token-warden-" + secrets.token_hex(16)
        self.admin("POST", "/kube-sim/tokens", {"token": token, "user": CONTROLLER_USER})
        path = os.path.join(self.workdir, "controller-kubeconfig")
        text = re.sub(r"token: \S+", f"token: {token}", open(self.sim.kubeconfig).read())
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write(text)
        return path

    def expected_restarts(self):
        """Workloads `token-warden report` finds due before the run: {(kind, namespace, name)}."""
        out = subprocess.run([self.args.token_warden, "report", "-A", "-o", "json", "--kubeconfig", self.sim.kubeconfig],
                             capture_output=True, text=True, env={**os.environ, "GNUTLS_NO_IMPLICIT_INIT": "1"})
        if out.returncode not in (0, 1):  # 1: something is at risk
            raise RuntimeError(f"token-warden report failed ({out.returncode}): {out.stderr[-2000:]}")
        report = json.loads(out.stdout)
        due, statuses = set(), {}
        for w in report["workloads"]:
            statuses[w["status"]] = statuses.get(w["status"], 0) + 1
            action = (w.get("action") or {}).get("type")
            if w["status"] in DUE_STATUSES and w.get("strategy") in ("rollout", "evict") and action not in (None, "warn-only"):
                due.add((w["kind"], w["namespace"], w["name"]))
        return due, statuses, report["summary"]

    def start_controller(self):
        self.port = free_port()
        kubeconfig = self.controller_kubeconfig()
        cmd = [self.args.token_warden, "run", "--kubeconfig", kubeconfig, "--mode", "restart",
               "--leader-election-namespace", "kube-system", "--http-address", f"127.0.0.1:{self.port}",
               "--log-level", "notice"]
        self.controller_log = os.path.join(self.workdir, "token-warden.log")
        started = time.perf_counter()
        self.proc = subprocess.Popen(cmd, env={**os.environ, "GNUTLS_NO_IMPLICIT_INIT": "1"}, stdout=subprocess.DEVNULL,
                                     stderr=open(self.controller_log, "w"))
        wait_ready(self.proc, self.port, started, self.controller_log)
        return time.perf_counter() - started

    def controller_digests(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/debug/caches", timeout=10) as response:
            return digest_lines(response.read().decode())

    # faults

    def inject(self, name):
        if name == "watch-drop":
            self.admin("POST", "/kube-sim/watches", {"drop": True})
        elif name == "gone-410":
            self.admin("POST", "/kube-sim/compact")
            self.admin("POST", "/kube-sim/watches", {"drop": True})
        elif name == "throttle-429":
            self.admin("POST", "/kube-sim/faults", {"code": 429, "count": 40, "retryAfterSeconds": 3})
            self.admin("POST", "/kube-sim/watches", {"drop": True})
        elif name == "server-restart":
            self.admin("POST", "/kube-sim/compact")
            try:  # not retried: a second restart would be a second fault
                admin_request(self.sim.kubeconfig, "POST", "/kube-sim/restart")
            except OSError:
                pass  # the answer may be cut by the restart it asked for

    # restarts

    def restarts(self):
        """Rollout restarts (request log), pod-by-pod restarts (Events) and evictions so far."""
        log_lines = self.admin("GET", "/kube-sim/requests", timeout=60).decode().splitlines()
        rollouts, evictions = {}, {}
        for line in log_lines:
            r = json.loads(line)
            if r["user"] != CONTROLLER_USER or not 200 <= r["code"] < 300:
                continue
            if r["verb"] == "patch" and r["resource"] in ROLLOUT_KINDS and "strategic-merge-patch" in r["contentType"]:
                key = (r["resource"], r["namespace"], r["name"])
                rollouts[key] = rollouts.get(key, 0) + 1
            elif r["verb"] == "create" and r["resource"] == "pods" and r["subresource"] == "eviction":
                key = (r["namespace"], r["name"])
                evictions[key] = evictions.get(key, 0) + 1
        events = json.loads(self.admin("GET", "/api/v1/events", timeout=60))["items"]
        evict_starts = {}
        for e in events:
            if e.get("reason") != "RestartStarted" or e.get("action") != "Evict":
                continue
            o = e["involvedObject"]
            key = (o["kind"], o.get("namespace", ""), o["name"])
            evict_starts[key] = evict_starts.get(key, 0) + (e.get("count") or 1)
        return {"rollouts": rollouts, "evict_starts": evict_starts, "evictions": evictions,
                "request_log_lines": len(log_lines)}

    def restart_verdict(self, restarts):
        kind_of = {"deployments": "Deployment", "statefulsets": "StatefulSet", "daemonsets": "DaemonSet"}
        started = {}
        for (resource, ns, name), n in restarts["rollouts"].items():
            key = (kind_of[resource], ns, name)
            started[key] = started.get(key, 0) + n
        for key, n in restarts["evict_starts"].items():
            started[key] = started.get(key, 0) + n
        duplicates = sorted(f"{k[0]} {k[1]}/{k[2]} x{n}" for k, n in started.items() if n > 1)
        unexpected = sorted(f"{k[0]} {k[1]}/{k[2]}" for k in started if k not in self.due)
        return started, duplicates, unexpected

    # the run

    def sample(self, t0, minute):
        self.admin("POST", "/kube-sim/churn", {"perSecond": 0})
        paused = time.perf_counter()
        equal, server, mine, polls = False, {}, {}, 0
        while time.perf_counter() - paused < self.args.settle_bound:
            server = digest_lines(self.admin("GET", "/kube-sim/digest").decode())
            try:
                mine = self.controller_digests()
            except OSError as error:
                mine = {"error": str(error)}
            polls += 1
            if server and server == mine:
                equal = True
                break
            time.sleep(0.25)
        settle = time.perf_counter() - paused
        figures = proc_figures(self.proc.pid)
        self.admin("POST", "/kube-sim/churn", self.churn)
        restarts = self.restarts()
        started, duplicates, unexpected = self.restart_verdict(restarts)
        row = {"minute": minute, "t_s": time.perf_counter() - t0, "caches_equal": equal, "settle_s": settle, "polls": polls,
               "pods": int(server.get("pods", "0 0").split()[0]),
               "objects": {k: int(v.split()[0]) for k, v in server.items()}, **figures,
               "restarts": sum(started.values()), "evictions": sum(restarts["evictions"].values()),
               "duplicates": len(duplicates), "unexpected": len(unexpected)}
        if duplicates or unexpected:
            row["duplicate_names"], row["unexpected_names"] = duplicates, unexpected
        if not equal:
            row["differs"] = {k: {"server": server.get(k), "controller": mine.get(k)} for k in set(server) | set(mine)
                              if server.get(k) != mine.get(k)}
        self.samples.append(row)
        log(f"minute {minute}: caches {'equal' if equal else 'DIFFER'} after {settle:.1f}s, RSS {figures['rss_bytes'] / 1e6:.1f} MB, "
            f"CPU {figures['cpu_s']:.1f}s, fds {figures['fds']}, threads {figures['threads']}, restarts {row['restarts']} "
            f"(dup {len(duplicates)}, unexpected {len(unexpected)})")
        return restarts

    def run(self):
        a = self.args
        spec = (f"pods={a.pods},namespaces={max(10, a.pods // 1000)},podsize=10k,history={a.history},"
                f"started={a.due_share}%:336d-360d,{100 - a.due_share}%:0d-300d,seed={a.seed}")
        self.spec = spec
        self.sim = Sim(a.kube_sim, spec, self.workdir)
        try:
            self.due, self.statuses, self.report_summary = self.expected_restarts()
            log(f"due before the run: {len(self.due)} workloads ({self.statuses})")
            self.ready_s = self.start_controller()
            log(f"controller ready after {self.ready_s:.1f}s; soaking {a.minutes} min")
            try:
                t0 = time.perf_counter()
                end = t0 + a.minutes * 60
                self.last_restarts = self.sample(t0, 0)
                next_sample, next_fault, fault_index = t0 + a.sample_interval, t0 + a.fault_interval / 2, 0
                while True:
                    now = time.perf_counter()
                    if now >= end and next_sample > end:
                        break
                    wake = min(next_sample, next_fault)
                    if wake > now:
                        time.sleep(wake - now)
                    if self.proc.poll() is not None:
                        raise RuntimeError(f"token-warden run exited ({self.proc.returncode}); see {self.controller_log}")
                    now = time.perf_counter()
                    if now >= next_fault and now < end:
                        name = FAULTS[fault_index % len(FAULTS)]
                        self.inject(name)
                        self.faults.append({"t_s": now - t0, "fault": name})
                        log(f"fault at {(now - t0) / 60:.1f} min: {name}")
                        fault_index += 1
                        next_fault += a.fault_interval
                    if now >= next_sample:
                        minute = round((next_sample - t0) / 60, 1)
                        self.last_restarts = self.sample(t0, minute)
                        next_sample += a.sample_interval
                    if now >= end and next_fault <= now:
                        next_fault = float("inf")
                self.admin("POST", "/kube-sim/churn", {"perSecond": 0})
            finally:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
        finally:
            self.sim.stop()

    # verdict and table

    def verdict(self):
        a, s = self.args, self.samples
        warmup_s = min(600, a.minutes * 60 / 3)
        after = [(r["t_s"], r["rss_bytes"] / 1e6) for r in s if r["t_s"] >= warmup_s]
        during = [r for r in s if r["t_s"] <= warmup_s]
        slope = slope_per_hour(after)
        part = lambda key: slope_per_hour([(r["t_s"], r[key] / 1e6) for r in s if r["t_s"] >= warmup_s and r.get(key) is not None])
        split = f"; anonymous {part('rss_anon_bytes'):+.2f}, file-backed (code pages) {part('rss_file_bytes'):+.2f}"
        started, duplicates, unexpected = self.restart_verdict(self.last_restarts)
        final = s[-1]
        fd_limit = max(r["fds"] for r in during) + FD_MARGIN
        thread_limit = max(r["threads"] for r in during) + THREAD_MARGIN
        checks = [
            ("caches equal at every sample", all(r["caches_equal"] for r in s),
             f"{sum(r['caches_equal'] for r in s)}/{len(s)} samples; settled within {max(r['settle_s'] for r in s):.1f} s at most"),
            ("RSS flat after warm-up", len(after) >= 2 and slope <= a.max_rss_slope,
             f"slope {slope:+.2f} MB/h over {len(after)} samples after {warmup_s / 60:.0f} min (limit {a.max_rss_slope} MB/h){split}"),
            ("no duplicate restart", not duplicates, f"{len(duplicates)}" + (f": {', '.join(duplicates[:10])}" if duplicates else "")),
            ("no unexpected restart", not unexpected, f"{len(unexpected)}" + (f": {', '.join(unexpected[:10])}" if unexpected else "")),
            ("no fd leak", final["fds"] <= fd_limit, f"final {final['fds']} <= warm-up max + {FD_MARGIN} = {fd_limit}"),
            ("no thread leak", final["threads"] <= thread_limit,
             f"final {final['threads']} <= warm-up max + {THREAD_MARGIN} = {thread_limit}"),
            ("some restarts happened", sum(started.values()) > 0,
             f"{sum(started.values())} workloads restarted of {len(self.due)} due at the start, "
             f"{sum(self.last_restarts['evictions'].values())} pods evicted"),
        ]
        return checks, slope

    def table(self, checks, slope):
        a, s = self.args, self.samples
        date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        load = os.getloadavg()
        lines = [f"token-warden soak — {date} — {a.minutes} min, {a.pods} pods, {a.churn:g} pod changes/s, "
                 f"a fault every {a.fault_interval:g} s — {os.cpu_count()} cores, load {load[0]:.1f} at the end "
                 f"({platform.platform()})", "",
                 f"population: `{self.spec}`; due at the start: {len(self.due)} workloads; ready after {self.ready_s:.1f} s", "",
                 "| minute | caches | settled in | pods | RSS MB | CPU s | fds | threads | restarts | evictions | dup / unexp | faults since last row |",
                 "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        # Condensed: minute 0, every 5th minute, a row whose caches differ or whose duplicate or
        # unexpected count grew, and the last.
        shown = [r for i, r in enumerate(s) if i == 0 or i == len(s) - 1 or not r["caches_equal"] or int(r["minute"]) % 5 == 0
                 or r["duplicates"] > s[i - 1]["duplicates"] or r["unexpected"] > s[i - 1]["unexpected"]]
        previous = -1
        for r in shown:
            faults = [f["fault"] for f in self.faults if previous < f["t_s"] <= r["t_s"]]
            previous = r["t_s"]
            lines.append(f"| {r['minute']:g} | {'equal' if r['caches_equal'] else '**DIFFER**'} | {r['settle_s']:.1f} s | {r['pods']} | "
                         f"{r['rss_bytes'] / 1e6:.1f} | {r['cpu_s']:.0f} | {r['fds']} | {r['threads']} | {r['restarts']} | "
                         f"{r['evictions']} | {r['duplicates']} / {r['unexpected']} | {', '.join(faults) or '—'} |")
        cpu = (s[-1]["cpu_s"] - s[0]["cpu_s"]) / max(1, s[-1]["t_s"] - s[0]["t_s"])
        # What the caches must hold grows with the churn's rollouts when Deployments keep old
        # ReplicaSets (--history above 0): said beside the RSS slope, which growth explains in part.
        objects = lambda r: sum(r.get("objects", {}).values())
        lines += ["", f"objects watched: {objects(s[0])} at the start, {objects(s[-1])} at the end "
                  f"(ReplicaSets {s[0].get('objects', {}).get('replicasets.apps')} → {s[-1].get('objects', {}).get('replicasets.apps')})"]
        settles = sorted(r["settle_s"] for r in s)
        kinds = ", ".join(f"{sum(f['fault'] == x for f in self.faults)} {x}" for x in FAULTS)
        lines += ["", f"{len(s)} samples, {len(self.faults)} faults ({kinds}); "
                  f"controller CPU {100 * cpu:.1f} % of one core on average; RSS {min(r['rss_bytes'] for r in s) / 1e6:.0f}–"
                  f"{max(r['rss_bytes'] for r in s) / 1e6:.0f} MB (slope after warm-up {slope:+.2f} MB/h); "
                  f"caches settled in {settles[len(settles) // 2]:.1f} s (median), {settles[-1]:.1f} s (max) after the churn paused", "",
                  "| check | result | |", "|---|---|---|"]
        for name, ok, detail in checks:
            lines.append(f"| {name} | {'pass' if ok else '**FAIL**'} | {detail} |")
        passed = all(ok for _, ok, _ in checks)
        lines += ["", f"verdict: {'PASS' if passed else 'FAIL'}"]
        return "\n".join(lines), passed


def main():
    ap = argparse.ArgumentParser(description="token-warden soak against kube-sim (loopback only)")
    ap.add_argument("--minutes", type=float, default=float(os.environ.get("SOAK_MINUTES", 60)))
    ap.add_argument("--pods", type=int, default=20_000)
    ap.add_argument("--due-share", type=float, default=1, help="percent of pods started 336-360 days ago (due for a restart)")
    ap.add_argument("--churn", type=float, default=100, help="pod changes per second")
    ap.add_argument("--fault-interval", type=float, default=None, help="seconds between faults (default 150; a fifth of a short run)")
    ap.add_argument("--sample-interval", type=float, default=60)
    ap.add_argument("--settle-bound", type=float, default=90, help="seconds a sample waits for the caches to equal the server's")
    ap.add_argument("--max-rss-slope", type=float, default=1.0, help="MB per hour")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--history", type=int, default=0,
                    help="the Deployments' revisionHistoryLimit (0: a rollout deletes its old ReplicaSet, so the cluster does not grow)")
    ap.add_argument("--bin", default=os.environ.get("BENCH_BIN", os.path.join(ROOT, ".build", "release")))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-results"))
    args = ap.parse_args()
    if args.fault_interval is None:
        args.fault_interval = min(150, max(20, args.minutes * 60 / 5))
    args.kube_sim = os.path.join(args.bin, "kube-sim")
    args.token_warden = os.path.join(args.bin, "token-warden")
    os.makedirs(args.out, exist_ok=True)
    soak = Soak(args)
    soak.run()
    checks, slope = soak.verdict()
    text, passed = soak.table(checks, slope)
    print("\n" + text)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M")
    with open(os.path.join(args.out, f"soak-{stamp}.md"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(args.out, f"soak-{stamp}.json"), "w") as f:
        json.dump({"spec": soak.spec, "due": sorted(map(list, soak.due)), "statuses": soak.statuses, "samples": soak.samples,
                   "faults": soak.faults,
                   "restarted": sorted(f"{k[0]} {k[1]}/{k[2]} x{n}" for k, n in soak.restart_verdict(soak.last_restarts)[0].items()),
                   "checks": [{"check": n, "pass": ok, "detail": d} for n, ok, d in checks],
                   "passed": passed}, f, indent=1)
    log(f"results: {args.out}/soak-{stamp}.md")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
