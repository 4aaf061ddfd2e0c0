import Assess
import KubeModel

/// Simulates the planner forward: restarts start earliest-deadline-first whenever the workload's
/// window is open and the limits allow, each taking as long as this process's restarts of its
/// strategy took (`RestartDurations`; the configured typical duration until it has observed some).
/// The result says when each workload can expect its restart and whether that is after its deadline.
struct ForecastSimulator {
    var config: PlannerConfig
    var durations = RestartDurations()
    /// Safety net against a pathological input; each step starts or finishes at least one restart.
    private let maxSteps = 1_000_000

    /// A pending restart, small so the scans below copy nothing heavy.
    fileprivate struct Item {
        var workload: Int  // index into `workloads`
        var namespace: String
        var window: Int?  // index into `windows`
        /// Read once: every simulation of a herd's forecast needs them for each of thousands of items.
        var id: WorkloadID
        var deadline: Timestamp?
        var upcoming: Bool
        /// How long its restart holds a slot.
        var duration: Int64
    }

    /// The pending restarts in priority order with their windows: sorted and resolved once, then
    /// simulated under several sets of start times (the herd spreader tries a few leads).
    struct Prepared {
        fileprivate(set) var workloads: [WorkloadAssessment]
        fileprivate var items: [Item]
        fileprivate var windows: Windows
    }

    /// The windows' timelines, shared by every run of one preparation: what one run learns of a
    /// window's openings (time-zone arithmetic, the costly part) the next run does not compute again.
    final class Windows {
        fileprivate var timelines: [WindowTimeline] = []
        var count: Int { timelines.count }
    }

    func run(now: Timestamp, active: [WorkloadID: Timestamp], pending input: [(WorkloadAssessment, notBefore: Timestamp)]) -> [ForecastEntry] {
        let ordered = input.sorted { Planner.priorityOrder($0.0, $1.0) }
        return run(now: now, active: active, prepare(ordered.map(\.0), now: now), notBefore: ordered.map(\.notBefore))
    }

    /// `workloads` must be in priority order (`Planner.priorityOrder`).
    func prepare(_ workloads: [WorkloadAssessment], now: Timestamp) -> Prepared {
        let windows = Windows()
        var windowIndex: [String: Int] = [:]
        let items: [Item] = workloads.enumerated().map { index, workload in
            var window: Int?
            if let w = workload.policy.maintenanceWindow {
                if let known = windowIndex[w.spec] {
                    window = known
                } else {
                    window = windows.count
                    windowIndex[w.spec] = windows.count
                    windows.timelines.append(WindowTimeline(w, from: now))
                }
            }
            let id = workload.id
            return Item(workload: index, namespace: id.namespace, window: window, id: id, deadline: workload.deadline,
                        upcoming: !workload.classification.needsRestart,
                        duration: durations.expected(workload, prior: config.typicalRolloutDuration))
        }
        return Prepared(workloads: workloads, items: items, windows: windows)
    }

    /// The forecast when `prepared.workloads[i]` may start at `notBefore[i]` at the earliest.
    /// `durationScale`: every restart is taken to last that many times its expected duration (1:
    /// the forecast as published; the herd spreader chooses its lead with a pessimistic one).
    func run(now: Timestamp, active: [WorkloadID: Timestamp], _ prepared: Prepared, notBefore: [Timestamp],
             durationScale: Double = 1) -> [ForecastEntry] {
        func scaled(_ seconds: Int64) -> Int64 {
            durationScale == 1 ? seconds : Int64((Double(seconds) * durationScale).rounded(.up))
        }
        let pending = prepared.items
        let windows = prepared.windows
        // A running restart's strategy is not known here: it is taken for a rollout.
        let runningDuration = scaled(durations.rolloutEstimate(prior: config.typicalRolloutDuration))
        var running: [(end: Timestamp, namespace: String)] = active.map { id, since in
            (max(since + runningDuration, now), id.namespace)
        }
        var entries: [ForecastEntry] = []
        entries.reserveCapacity(pending.count)
        var started = [Bool](repeating: false, count: pending.count)
        var remaining = pending.count
        // Items enter `released` when their notBefore comes, and leave it when they start: each
        // step looks only at what may start, not at every pending item (a herd's forecast holds
        // thousands whose time has not come). Grouped by window (the last group: none), each group
        // in priority order, so a closed window's items are passed over in one look.
        let releaseOrder = pending.indices.sorted { (notBefore[$0], $0) < (notBefore[$1], $1) }
        var nextRelease = 0
        var released = [[Int]](repeating: [], count: windows.count + 1)
        /// Where each group's unstarted items begin: the most urgent starts first, and moving
        /// this past it costs nothing, where removing the array's head moves thousands.
        var heads = [Int](repeating: 0, count: released.count)
        // How many unstarted items wait on each window.
        var waitingOnWindow = [Int](repeating: 0, count: windows.count)
        for item in pending { if let w = item.window { waitingOnWindow[w] += 1 } }
        // Reused by every step (a herd's forecast takes thousands).
        var arrivals = [[Int]](repeating: [], count: released.count)
        var perNamespace: [String: Int] = [:]
        var open = [Bool?](repeating: nil, count: windows.count)
        var time = now
        var steps = 0
        while remaining > 0, steps < maxSteps {
            steps += 1
            while nextRelease < releaseOrder.count, notBefore[releaseOrder[nextRelease]] <= time {
                let index = releaseOrder[nextRelease]
                arrivals[pending[index].window ?? windows.count].append(index)
                nextRelease += 1
            }
            for g in arrivals.indices where !arrivals[g].isEmpty {
                released[g] = Self.merge(Array(released[g][heads[g]...]), arrivals[g].sorted())
                heads[g] = 0
                arrivals[g].removeAll(keepingCapacity: true)
            }
            running.removeAll { $0.end <= time }
            perNamespace.removeAll(keepingCapacity: true)
            for r in running { perNamespace[r.namespace, default: 0] += 1 }
            for w in open.indices { open[w] = nil }
            // Start the most urgent item that may start, again, until the limit or nothing fits.
            while running.count < config.maxConcurrent {
                var best: (group: Int, position: Int)?
                for g in released.indices where heads[g] < released[g].count {
                    if g < windows.count {
                        if open[g] == nil { open[g] = windows.timelines[g].isOpen(at: time) }
                        if open[g] == false { continue }
                    }
                    var position = heads[g]
                    while position < released[g].count,
                          perNamespace[pending[released[g][position]].namespace, default: 0] >= config.maxConcurrentPerNamespace {
                        position += 1
                    }
                    guard position < released[g].count else { continue }
                    if best.map({ released[g][position] < released[$0.group][$0.position] }) ?? true { best = (g, position) }
                }
                guard let best else { break }
                let index: Int
                if best.position == heads[best.group] {
                    index = released[best.group][best.position]
                    heads[best.group] += 1
                } else {
                    index = released[best.group].remove(at: best.position)
                }
                let item = pending[index]
                if let w = item.window { waitingOnWindow[w] -= 1 }
                let end = time + scaled(item.duration)
                running.append((end, item.namespace))
                perNamespace[item.namespace, default: 0] += 1
                entries.append(entry(item, start: time, end: end, now: now))
                started[index] = true
                remaining -= 1
            }
            if remaining == 0 { break }
            // The next instant something can change: a restart finishes, an item's time comes, a window opens.
            var next = running.map(\.end).min()
            func consider(_ t: Timestamp) { if t > time, next.map({ t < $0 }) ?? true { next = t } }
            if nextRelease < releaseOrder.count { consider(notBefore[releaseOrder[nextRelease]]) }
            for w in 0..<windows.count where waitingOnWindow[w] > 0 {
                if let opens = windows.timelines[w].nextOpen(atOrAfter: time), opens > time { consider(opens) }
            }
            guard let upcoming = next, upcoming > time else { break }
            time = upcoming
        }
        // Whatever is left can never start (no window opening): it misses.
        for (index, item) in pending.enumerated() where !started[index] {
            entries.append(entry(item, start: nil, end: nil, now: now))
        }
        return entries
    }

    /// Two ascending lists as one (linear: a herd's items arrive a few at a time into thousands).
    private static func merge(_ a: [Int], _ b: [Int]) -> [Int] {
        if a.isEmpty { return b }
        if let last = a.last, let first = b.first, last < first { return a + b }
        var out: [Int] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count, j < b.count {
            if a[i] <= b[j] { out.append(a[i]); i += 1 } else { out.append(b[j]); j += 1 }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }

    private func entry(_ item: Item, start: Timestamp?, end: Timestamp?, now: Timestamp) -> ForecastEntry {
        let passed = item.deadline.map { $0 <= now } ?? false
        let misses: Bool
        if let end, let deadline = item.deadline { misses = end > deadline } else { misses = end == nil }
        return ForecastEntry(workload: item.id, deadline: item.deadline, earliestStart: start, expectedCompletion: end,
                             missesDeadline: misses, deadlinePassed: passed, upcoming: item.upcoming)
    }
}
