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
        var namespace: Int  // index into `Prepared.namespaces`
        var window: Int?  // index into `windows`
        /// Read once: every simulation of a herd's forecast needs them for each of thousands of items.
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
        fileprivate(set) var windows: Windows
        /// Namespaces by index: limits are counted in an array, not a dictionary of names.
        fileprivate var namespaces: [String: Int]
    }

    /// The windows' timelines, shared by every run of one preparation: what one run learns of a
    /// window's openings (time-zone arithmetic, the costly part) the next run does not compute again.
    final class Windows {
        fileprivate var timelines: [WindowTimeline] = []
        var count: Int { timelines.count }

        /// Hands what the runs worked out to the next plan (`SharedTimelines`).
        func keep() {
            for timeline in timelines { SharedTimelines.keep(timeline) }
        }
    }

    func run(now: Timestamp, active: [WorkloadID: Timestamp], pending input: [(WorkloadAssessment, notBefore: Timestamp)]) -> [ForecastEntry] {
        let ordered = input.sorted { Planner.priorityOrder($0.0, $1.0) }
        return run(now: now, active: active, prepare(ordered.map(\.0), now: now), notBefore: ordered.map(\.notBefore))
    }

    /// `workloads` must be in priority order (`Planner.priorityOrder`); `expected`: each one's
    /// `RestartDurations.expected`, when the caller has them already.
    func prepare(_ workloads: [WorkloadAssessment], now: Timestamp, expected: [Int64]? = nil) -> Prepared {
        let windows = Windows()
        var windowIndex: [String: Int] = [:]
        var namespaces: [String: Int] = [:]
        let items: [Item] = workloads.enumerated().map { index, workload in
            var window: Int?
            if let w = workload.policy.maintenanceWindow {
                if let known = windowIndex[w.spec] {
                    window = known
                } else {
                    window = windows.count
                    windowIndex[w.spec] = windows.count
                    windows.timelines.append(SharedTimelines.timeline(w, from: now))
                }
            }
            let namespace = workload.id.namespace
            let namespaceIndex: Int
            if let known = namespaces[namespace] {
                namespaceIndex = known
            } else {
                namespaceIndex = namespaces.count
                namespaces[namespace] = namespaceIndex
            }
            return Item(workload: index, namespace: namespaceIndex, window: window, deadline: workload.deadline,
                        upcoming: !workload.classification.needsRestart,
                        duration: expected?[index] ?? durations.expected(workload, prior: config.typicalRolloutDuration))
        }
        return Prepared(workloads: workloads, items: items, windows: windows, namespaces: namespaces)
    }

    /// The forecast when `prepared.workloads[i]` may start at `notBefore[i]` at the earliest.
    /// `durationScale`: every restart is taken to last that many times its expected duration (1:
    /// the forecast as published; the herd spreader chooses its lead with a pessimistic one).
    func run(now: Timestamp, active: [WorkloadID: Timestamp], _ prepared: Prepared, notBefore: [Timestamp],
             durationScale: Double = 1) -> [ForecastEntry] {
        var entries: [ForecastEntry] = []
        entries.reserveCapacity(prepared.items.count)
        simulate(now: now, active: active, prepared, notBefore: notBefore, durationScale: durationScale) { index, start, end in
            entries.append(entry(prepared, index, start: start, end: end, now: now))
            return true
        }
        return entries
    }

    /// How many restarts the forecast sees finishing after their deadline − `margin` or never
    /// starting (a deadline already passed does not count), stopping once more than `limit` are:
    /// the herd spreader's question, without building a forecast to answer it.
    func lateCount(now: Timestamp, active: [WorkloadID: Timestamp], _ prepared: Prepared, notBefore: [Timestamp],
                   durationScale: Double, margin: Int64, limit: Int = .max) -> Int {
        var firstStart: Timestamp?
        var unstarted = false
        return lateCount(now: now, active: active, prepared, notBefore: notBefore, durationScale: durationScale, margin: margin,
                         limit: limit, firstStart: &firstStart, unstarted: &unstarted)
    }

    /// The same count, and what `ForecastMemo` needs to know of the run: `firstStart` becomes the
    /// earlier of itself and the run's first start, `unstarted` true if the run left an item that
    /// could never start (no window opening within a year of the run's end: a later `now` may
    /// find one).
    func lateCount(now: Timestamp, active: [WorkloadID: Timestamp], _ prepared: Prepared, notBefore: [Timestamp],
                   durationScale: Double, margin: Int64, limit: Int = .max, firstStart: inout Timestamp?,
                   unstarted: inout Bool) -> Int {
        var late = 0
        var first: Timestamp?
        var never = false
        defer {
            if let first, firstStart.map({ first < $0 }) ?? true { firstStart = first }
            if never { unstarted = true }
        }
        simulate(now: now, active: active, prepared, notBefore: notBefore, durationScale: durationScale) { index, start, end in
            if first == nil, let start { first = start }
            if start == nil { never = true }
            guard let deadline = prepared.items[index].deadline, deadline > now else { return true }
            if end.map({ $0 > deadline - margin }) ?? true { late += 1 }
            return late <= limit
        }
        return late
    }

    /// The simulation itself: `started(index, start, end)` for each item as it starts, in order,
    /// then with nil times for those that never can. It returns false to stop the simulation.
    private func simulate(now: Timestamp, active: [WorkloadID: Timestamp], _ prepared: Prepared, notBefore: [Timestamp],
                          durationScale: Double, started report: (Int, Timestamp?, Timestamp?) -> Bool) {
        func scaled(_ seconds: Int64) -> Int64 {
            durationScale == 1 ? seconds : Int64((Double(seconds) * durationScale).rounded(.up))
        }
        let pending = prepared.items
        // Taken out for the run and handed back at the end: a class's array is checked for
        // exclusive access at every use, and the loop below asks the windows at every step.
        var timelines = prepared.windows.timelines
        prepared.windows.timelines = []
        defer { prepared.windows.timelines = timelines }
        // Namespaces of running restarts the pending items do not share get indices after theirs.
        var namespaceCount = prepared.namespaces.count
        var activeNamespaces: [String: Int] = [:]
        func namespaceIndex(_ namespace: String) -> Int {
            if let known = prepared.namespaces[namespace] ?? activeNamespaces[namespace] { return known }
            activeNamespaces[namespace] = namespaceCount
            namespaceCount += 1
            return namespaceCount - 1
        }
        // A running restart's strategy is not known here: it is taken for a rollout.
        let runningDuration = scaled(durations.rolloutEstimate(prior: config.typicalRolloutDuration))
        var running: [(end: Timestamp, namespace: Int)] = active.map { id, since in
            (max(since + runningDuration, now), namespaceIndex(id.namespace))
        }
        var perNamespace = [Int](repeating: 0, count: namespaceCount)
        for r in running { perNamespace[r.namespace] += 1 }
        var started = [Bool](repeating: false, count: pending.count)
        var remaining = pending.count
        // Items enter `released` when their notBefore comes, and leave it when they start: each
        // step looks only at what may start, not at every pending item (a herd's forecast holds
        // thousands whose time has not come). Grouped by window (the last group: none), each group
        // in priority order, so a closed window's items are passed over in one look.
        let releaseOrder = pending.indices.sorted { (notBefore[$0], $0) < (notBefore[$1], $1) }
        var nextRelease = 0
        var released = [[Int]](repeating: [], count: timelines.count + 1)
        /// Where each group's unstarted items begin: the most urgent starts first, and moving
        /// this past it costs nothing, where removing the array's head moves thousands.
        var heads = [Int](repeating: 0, count: released.count)
        // How many unstarted items wait on each window.
        var waitingOnWindow = [Int](repeating: 0, count: timelines.count)
        for item in pending { if let w = item.window { waitingOnWindow[w] += 1 } }
        // Reused by every step (a herd's forecast takes thousands).
        var arrivals = [[Int]](repeating: [], count: released.count)
        var open = [Bool?](repeating: nil, count: timelines.count)
        // Time only moves forward within a run: each window's position in its timeline moves with it.
        var cursors = [WindowTimeline.Cursor](repeating: WindowTimeline.Cursor(), count: timelines.count)
        /// A closed window's next opening, once asked: closed until then, so neither question
        /// needs the timeline again before it (most steps are restarts finishing in other windows).
        var closedUntil = [Timestamp?](repeating: nil, count: timelines.count)
        var time = now
        var steps = 0
        simulation: while remaining > 0, steps < maxSteps {
            steps += 1
            while nextRelease < releaseOrder.count, notBefore[releaseOrder[nextRelease]] <= time {
                let index = releaseOrder[nextRelease]
                arrivals[pending[index].window ?? timelines.count].append(index)
                nextRelease += 1
            }
            for g in arrivals.indices where !arrivals[g].isEmpty {
                arrivals[g].sort()
                if heads[g] < released[g].count, let last = released[g].last, last > arrivals[g][0] {
                    released[g] = Self.merge(Array(released[g][heads[g]...]), arrivals[g])
                    heads[g] = 0
                } else {
                    // Arriving after every waiting item in priority (the usual case: a herd is released in
                    // deadline order): appended, not merged into a copy of thousands.
                    released[g].append(contentsOf: arrivals[g])
                }
                arrivals[g].removeAll(keepingCapacity: true)
            }
            var r = 0
            while r < running.count {
                if running[r].end <= time {
                    perNamespace[running[r].namespace] -= 1
                    running.swapAt(r, running.count - 1)
                    running.removeLast()
                } else {
                    r += 1
                }
            }
            for w in open.indices { open[w] = nil }
            // Start the most urgent item that may start, again, until the limit or nothing fits.
            while running.count < config.maxConcurrent {
                var best: (group: Int, position: Int)?
                for g in released.indices where heads[g] < released[g].count {
                    if g < timelines.count {
                        if open[g] == nil {
                            open[g] = closedUntil[g].map { time < $0 } == true ? false : timelines[g].isOpen(at: time, cursor: &cursors[g])
                        }
                        if open[g] == false { continue }
                    }
                    var position = heads[g]
                    while position < released[g].count,
                          perNamespace[pending[released[g][position]].namespace] >= config.maxConcurrentPerNamespace {
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
                perNamespace[item.namespace] += 1
                started[index] = true
                remaining -= 1
                guard report(index, time, end) else { return }
            }
            if remaining == 0 { break }
            // The next instant something can change: a restart finishes, an item's time comes, a window opens.
            var next: Timestamp?
            for r in running where next.map({ r.end < $0 }) ?? true { next = r.end }
            func consider(_ t: Timestamp) { if t > time, next.map({ t < $0 }) ?? true { next = t } }
            if nextRelease < releaseOrder.count { consider(notBefore[releaseOrder[nextRelease]]) }
            for w in 0..<timelines.count where waitingOnWindow[w] > 0 {
                if let until = closedUntil[w], time < until {
                    consider(until)
                } else if let opens = timelines[w].nextOpen(atOrAfter: time, cursor: &cursors[w]), opens > time {
                    closedUntil[w] = opens
                    consider(opens)
                }
            }
            guard let upcoming = next, upcoming > time else { break simulation }
            time = upcoming
        }
        // Whatever is left can never start (no window opening): it misses.
        for index in pending.indices where !started[index] {
            guard report(index, nil, nil) else { return }
        }
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

    private func entry(_ prepared: Prepared, _ index: Int, start: Timestamp?, end: Timestamp?, now: Timestamp) -> ForecastEntry {
        let item = prepared.items[index]
        let passed = item.deadline.map { $0 <= now } ?? false
        let misses: Bool
        if let end, let deadline = item.deadline { misses = end > deadline } else { misses = end == nil }
        return ForecastEntry(workload: prepared.workloads[item.workload].id, deadline: item.deadline, earliestStart: start,
                             expectedCompletion: end, missesDeadline: misses, deadlinePassed: passed, upcoming: item.upcoming)
    }
}
