#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// glibc's `malloc_trim`, which the Glibc module does not export.
@_silgen_name("malloc_trim")
func glibcMallocTrim(_ pad: Int) -> Int32

/// glibc's `malloc_stats`: per-arena heap figures on stderr.
@_silgen_name("malloc_stats")
func glibcMallocStats()

/// Clocks and memory figures of this process, read the way `/usr/bin/time -v` reads a child's.
enum Measure {
    static func wallSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// CPU time of the calling thread: what "per core" figures divide by.
    static func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// User + system CPU of the whole process (all threads).
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        func s(_ tv: timeval) -> Double { Double(tv.tv_sec) + Double(tv.tv_usec) / 1e6 }
        return s(usage.ru_utime) + s(usage.ru_stime)
    }

    /// `VmRSS` / `VmHWM` from /proc/self/status, in bytes.
    static func memory() -> (rss: Int, peak: Int) {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }  // not Linux: figures absent
        var rss = 0, peak = 0
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 2, let kb = Int(parts[1]) else { continue }
            if line.hasPrefix("VmRSS:") { rss = kb * 1024 }
            if line.hasPrefix("VmHWM:") { peak = kb * 1024 }
        }
        return (rss, peak)
    }

    /// Returns freed heap to the kernel first, so RSS shows what is retained, not what malloc keeps.
    static func retainedRSS() -> Int {
        _ = glibcMallocTrim(0)
        return memory().rss
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let index = min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))
        return sorted[index]
    }
}
