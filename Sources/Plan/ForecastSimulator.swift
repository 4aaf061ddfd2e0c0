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
        var pending: [Item] = ordered.enumerated().map { index, entry in
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
        var time = now
        var steps = 0
        while !pending.isEmpty, steps < maxSteps {
            steps += 1
            running.removeAll { $0.end <= time }
            var perNamespace: [String: Int] = [:]
            for r in running { perNamespace[r.namespace, default: 0] += 1 }
            var open: [Bool?] = Array(repeating: nil, count: windows.count)
            var index = 0
            while index < pending.count, running.count < config.maxConcurrent {
                let item = pending[index]
                guard item.notBefore <= time, perNamespace[item.namespace, default: 0] < config.maxConcurrentPerNamespace else {
                    index += 1
                    continue
                }
                if let w = item.window {
                    if open[w] == nil { open[w] = windows[w].isOpen(at: time) }
                    if open[w] == false {
                        index += 1
                        continue
                    }
                }
                let end = time + config.typicalRolloutDuration
                running.append((end, item.namespace))
                perNamespace[item.namespace, default: 0] += 1
                entries.append(entry(workloads[item.workload], start: time, end: end, now: now))
                pending.remove(at: index)
            }
            if pending.isEmpty { break }
            // The next instant something can change: a restart finishes, a cooldown ends, a window opens.
            var next = running.map(\.end).min()
            func consider(_ t: Timestamp) { if t > time, next.map({ t < $0 }) ?? true { next = t } }
            for item in pending { consider(item.notBefore) }
            let waitingOn = Set(pending.compactMap(\.window))
            for w in waitingOn {
                if let opens = windows[w].nextOpen(atOrAfter: time), opens > time { consider(opens) }
            }
            guard let upcoming = next, upcoming > time else { break }
            time = upcoming
        }
        // Whatever is left can never start (no window opening): it misses.
        for item in pending { entries.append(entry(workloads[item.workload], start: nil, end: nil, now: now)) }
        return entries
    }

    private func entry(_ workload: WorkloadAssessment, start: Timestamp?, end: Timestamp?, now: Timestamp) -> ForecastEntry {
        let passed = workload.deadline.map { $0 <= now } ?? false
        let misses: Bool
        if let end, let deadline = workload.deadline { misses = end > deadline } else { misses = end == nil }
        return ForecastEntry(workload: workload.id, deadline: workload.deadline, earliestStart: start, expectedCompletion: end,
                             missesDeadline: misses, deadlinePassed: passed, upcoming: !workload.classification.needsRestart)
    }
}
