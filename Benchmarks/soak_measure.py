"""What the soak measures from outside the processes (Benchmarks/soak.py): the controller's
figures from /proc, the digest lines of /debug/caches and /kube-sim/digest, the RSS trend."""
import os

from bench import rss_bytes
from steady_bench import process_cpu_ticks_seconds


def proc_figures(pid):
    """RSS bytes (and its anonymous and file-backed parts), CPU seconds (user + system, exited
    threads included), open fds, threads. The file-backed part is the executable's code and
    tables: paged out after start-up (ProcessMemory), paged back in as code paths first run,
    reclaimable by the kernel; a leak shows in the anonymous part."""
    status = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            status[key] = value.split()
    kib = lambda key: int(status[key][0]) * 1024 if key in status else None
    return {"rss_bytes": rss_bytes(pid), "rss_anon_bytes": kib("RssAnon"), "rss_file_bytes": kib("RssFile"),
            "cpu_s": process_cpu_ticks_seconds(pid), "fds": len(os.listdir(f"/proc/{pid}/fd")),
            "threads": int(status["Threads"][0]) if "Threads" in status else None}


def digest_lines(text):
    """{resource: "COUNT DIGEST"} from /debug/caches or /kube-sim/digest (its resourceVersion line aside)."""
    out = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3:
            out[parts[0]] = f"{parts[1]} {parts[2]}"
    return out


def slope_per_hour(points):
    """Least-squares slope of (seconds, value) points, per hour."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    sxx = sum((p[0] - mx) ** 2 for p in points)
    if sxx == 0:
        return 0.0
    return sum((p[0] - mx) * (p[1] - my) for p in points) / sxx * 3600
