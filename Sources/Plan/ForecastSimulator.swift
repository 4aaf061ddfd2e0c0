import Assess
import KubeModel

/// Simulates the planner forward: restarts start earliest-deadline-first whenever the workload's
/// window is open and the limits allow, each taking the typical rollout duration. The result says
/// when each workload can expect its restart and whether that is after its deadline.
struct ForecastSimulator {
    var config: PlannerConfig
    /// Safety net against a pathological input; each step starts or finishes at least one restart.
    private let maxSteps = 200_000

    private struct Pending {
        var workload: WorkloadAssessment
        var notBefore: Timestamp
    }

    func run(now: Timestamp, active: [WorkloadID: Timestamp], pending input: [(WorkloadAssessment, notBefore: Timestamp)]) -> [ForecastEntry] {
        var running: [(end: Timestamp, namespace: String)] = active.map { id, since in
            (max(since + config.typicalRolloutDuration, now), id.namespace)
        }
        var pending = input.map { Pending(workload: $0.0, notBefore: $0.notBefore) }
            .sorted { Planner.priorityOrder($0.workload, $1.workload) }
        var entries: [ForecastEntry] = []
        var time = now
        var steps = 0
        while !pending.isEmpty, steps < maxSteps {
            steps += 1
            running.removeAll { $0.end <= time }
            var openCache: [String: Bool] = [:]
            var index = 0
            while index < pending.count {
                let item = pending[index]
                let namespaceCount = running.filter { $0.namespace == item.workload.id.namespace }.count
                guard item.notBefore <= time, running.count < config.maxConcurrent,
                      namespaceCount < config.maxConcurrentPerNamespace,
                      isOpen(item.workload.policy.maintenanceWindow, at: time, cache: &openCache)
                else {
                    index += 1
                    continue
                }
                let end = time + config.typicalRolloutDuration
                running.append((end, item.workload.id.namespace))
                entries.append(entry(item.workload, start: time, end: end, now: now))
                pending.remove(at: index)
            }
            if pending.isEmpty { break }
            // The next instant something can change: a restart finishes, a cooldown ends, a window opens.
            var next: [Timestamp] = running.map(\.end)
            next += pending.map(\.notBefore).filter { $0 > time }
            var seenWindows = Set<String>()
            for item in pending {
                guard let window = item.workload.policy.maintenanceWindow, seenWindows.insert(window.spec).inserted,
                      !window.isOpen(at: time), let opens = window.nextOpen(atOrAfter: time) else { continue }
                next.append(opens)
            }
            guard let upcoming = next.filter({ $0 > time }).min() else { break }
            time = upcoming
        }
        // Whatever is left can never start (no window opening): it misses.
        for item in pending { entries.append(entry(item.workload, start: nil, end: nil, now: now)) }
        return entries
    }

    private func isOpen(_ window: MaintenanceWindow?, at time: Timestamp, cache: inout [String: Bool]) -> Bool {
        guard let window else { return true }
        if let known = cache[window.spec] { return known }
        let open = window.isOpen(at: time)
        cache[window.spec] = open
        return open
    }

    private func entry(_ workload: WorkloadAssessment, start: Timestamp?, end: Timestamp?, now: Timestamp) -> ForecastEntry {
        let passed = workload.deadline.map { $0 <= now } ?? false
        let misses: Bool
        if let end, let deadline = workload.deadline { misses = end > deadline } else { misses = end == nil }
        return ForecastEntry(workload: workload.id, deadline: workload.deadline, earliestStart: start, expectedCompletion: end,
                             missesDeadline: misses, deadlinePassed: passed)
    }
}
