import Assess
import KubeModel

/// Simulates the planner forward: restarts start earliest-deadline-first whenever the workload's
/// window is open and the limits allow, each taking the typical rollout duration. The result says
/// when each workload can expect its restart and whether that is after its deadline.
struct ForecastSimulator {
    var config: PlannerConfig
    /// Safety net against a pathological input; each step starts or finishes at least one restart.
    private let maxSteps = 1_000_000

    /// A pending restart, small so the scans below copy nothing heavy.
    private struct Item {
        var workload: Int  // index into `workloads`
        var namespace: String
        var window: Int?  // index into `windows`
        var notBefore: Timestamp
    }

    func run(now: Timestamp, active: [WorkloadID: Timestamp], pending input: [(WorkloadAssessment, notBefore: Timestamp)]) -> [ForecastEntry] {
        let ordered = input.sorted { Planner.priorityOrder($0.0, $1.0) }
        let workloads = ordered.map(\.0)
        var windows: [WindowTimeline] = []
        var windowIndex: [String: Int] = [:]
        let pending: [Item] = ordered.enumerated().map { index, entry in
            var window: Int?
            if let w = entry.0.policy.maintenanceWindow {
                if let known = windowIndex[w.spec] {
                    window = known
                } else {
                    window = windows.count
                    windowIndex[w.spec] = windows.count
                    windows.append(WindowTimeline(w, from: now))
                }
            }
            return Item(workload: index, namespace: entry.0.id.namespace, window: window, notBefore: entry.notBefore)
        }
        var running: [(end: Timestamp, namespace: String)] = active.map { id, since in
            (max(since + config.typicalRolloutDuration, now), id.namespace)
        }
        var entries: [ForecastEntry] = []
        entries.reserveCapacity(pending.count)
        // Started items are marked, not removed (removal from the middle is a memmove per start:
        // quadratic over tens of thousands of workloads); `firstLive` skips the started prefix.
        var started = [Bool](repeating: false, count: pending.count)
        var remaining = pending.count
        var firstLive = 0
        // When items become eligible, ascending; and how many unstarted items wait on each window.
        let eligibleTimes = pending.map(\.notBefore).sorted()
        var waitingOnWindow = [Int](repeating: 0, count: windows.count)
        for item in pending { if let w = item.window { waitingOnWindow[w] += 1 } }
        var time = now
        var steps = 0
        while remaining > 0, steps < maxSteps {
            steps += 1
            running.removeAll { $0.end <= time }
            var perNamespace: [String: Int] = [:]
            for r in running { perNamespace[r.namespace, default: 0] += 1 }
            var open: [Bool?] = Array(repeating: nil, count: windows.count)
            var index = firstLive
            while index < pending.count, running.count < config.maxConcurrent {
                defer { index += 1 }
                guard !started[index] else { continue }
                let item = pending[index]
                guard item.notBefore <= time, perNamespace[item.namespace, default: 0] < config.maxConcurrentPerNamespace else { continue }
                if let w = item.window {
                    if open[w] == nil { open[w] = windows[w].isOpen(at: time) }
                    if open[w] == false { continue }
                    waitingOnWindow[w] -= 1
                }
                let end = time + config.typicalRolloutDuration
                running.append((end, item.namespace))
                perNamespace[item.namespace, default: 0] += 1
                entries.append(entry(workloads[item.workload], start: time, end: end, now: now))
                started[index] = true
                remaining -= 1
            }
            while firstLive < pending.count, started[firstLive] { firstLive += 1 }
            if remaining == 0 { break }
            // The next instant something can change: a restart finishes, a cooldown ends, a window opens.
            var next = running.map(\.end).min()
            func consider(_ t: Timestamp) { if t > time, next.map({ t < $0 }) ?? true { next = t } }
            if let later = firstIndex(in: eligibleTimes, after: time) { consider(eligibleTimes[later]) }
            for w in windows.indices where waitingOnWindow[w] > 0 {
                if let opens = windows[w].nextOpen(atOrAfter: time), opens > time { consider(opens) }
            }
            guard let upcoming = next, upcoming > time else { break }
            time = upcoming
        }
        // Whatever is left can never start (no window opening): it misses.
        for (index, item) in pending.enumerated() where !started[index] {
            entries.append(entry(workloads[item.workload], start: nil, end: nil, now: now))
        }
        return entries
    }

    /// The first position in ascending `times` holding an instant later than `time`.
    private func firstIndex(in times: [Timestamp], after time: Timestamp) -> Int? {
        var low = 0, high = times.count
        while low < high {
            let middle = (low + high) / 2
            if times[middle] <= time { low = middle + 1 } else { high = middle }
        }
        return low < times.count ? low : nil
    }

    private func entry(_ workload: WorkloadAssessment, start: Timestamp?, end: Timestamp?, now: Timestamp) -> ForecastEntry {
        let passed = workload.deadline.map { $0 <= now } ?? false
        let misses: Bool
        if let end, let deadline = workload.deadline { misses = end > deadline } else { misses = end == nil }
        return ForecastEntry(workload: workload.id, deadline: workload.deadline, earliestStart: start, expectedCompletion: end,
                             missesDeadline: misses, deadlinePassed: passed, upcoming: !workload.classification.needsRestart)
    }
}
