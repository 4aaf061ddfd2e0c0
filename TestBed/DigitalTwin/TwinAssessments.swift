import Assess
import KubeModel
import Plan

/// The twin's assessment, kept per workload so a pass costs what changed, not the cluster's
/// size. A workload is assessed again — by the real Assessor, on a snapshot of its own objects —
/// only when its objects changed, its classification may have changed by the clock (its
/// `nextTransition`), or the defaults changed: the reuse `AssessmentMemo` makes in the controller.
///
/// The planner is handed every workload it could act on or forecast; the others — ok, no
/// restart of ours running, their restart due beyond the planner's reach — change nothing in
/// its plan but the instant it asks to look again, and that instant (their `nextTransition`, and
/// when herd spreading's pool would take them in) is kept here and added to the plan's requeue.
/// `TwinIncrementalPassTests` holds a run this way equal to one that assesses and plans the whole cluster.
struct TwinAssessments {
    private var cached: [WorkloadAssessment?]
    private var stale: [Bool]
    private var relevant: Set<Int> = []
    private var version: [Int]
    /// When an irrelevant workload must be looked at again (it may become relevant).
    private var recheck = TwinTimeHeap()
    /// When the planner, had it seen an irrelevant workload, would have asked to look again.
    private var wakes = TwinTimeHeap()
    private var defaults: PolicyDefaults?

    init(workloads: Int) {
        cached = Array(repeating: nil, count: workloads)
        stale = Array(repeating: true, count: workloads)
        version = Array(repeating: 0, count: workloads)
    }

    /// This pass's assessment of the relevant workloads; `dirty`: workloads whose objects changed
    /// since the last pass (emptied).
    mutating func assess(
        now: Int64, defaults: PolicyDefaults, config: PlannerConfig, dirty: inout Set<Int>, active: (Int) -> Bool,
        snapshot: (Int) -> ClusterSnapshot
    ) -> Assessment {
        var check = relevant
        if defaults != self.defaults {
            self.defaults = defaults
            for i in cached.indices { stale[i] = true; check.insert(i) }
        }
        for i in dirty { stale[i] = true; check.insert(i) }
        dirty.removeAll(keepingCapacity: true)
        while let entry = recheck.first, entry.time <= now {
            recheck.pop()
            if entry.version == version[entry.index] { check.insert(entry.index) }
        }
        let at = Timestamp(seconds: now)
        let assessor = Assessor(defaults: defaults)
        for i in check {
            if stale[i] || cached[i]?.nextTransition.map({ at >= $0 }) == true {
                cached[i] = assessor.assess(snapshot(i), now: at).workloads.first
                stale[i] = false
            }
            classify(i, now: at, config: config, active: active(i))
        }
        let workloads = relevant.compactMap { cached[$0] }
        return Assessment(generatedAt: at, workloads: Assessment.sortedByDeadline(workloads), diagnostics: [])
    }

    /// The earliest instant after `now` an irrelevant workload would have made the planner look again.
    mutating func nextWake(after now: Int64) -> Int64? {
        while let entry = wakes.first, entry.version != version[entry.index] || entry.time <= now { wakes.pop() }
        return wakes.first?.time
    }

    private mutating func classify(_ i: Int, now: Timestamp, config: PlannerConfig, active: Bool) {
        version[i] += 1  // its earlier heap entries no longer count
        guard let w = cached[i] else {
            relevant.remove(i)
            return
        }
        let reach = max(config.forecastHorizon, w.policy.maxLead)
        let quiet: Bool = switch w.classification {
            case .ok, .outOfScope, .unconfirmed: true
            default: false
        }
        let farOff = w.restartDue.map { $0 > now + reach } ?? true
        if !quiet || active || Planner.stillRolling(w) || !farOff {
            relevant.insert(i)
            return
        }
        relevant.remove(i)
        let entryAt = w.restartDue.map { $0 - reach }
        // The planner's wake-ups for it: its next transition, and when spreading's pool takes it in.
        let pools = w.classification == .ok && config.spreadHerds && w.policy.maxLead > 0 && w.policy.mode == .restart
            && w.strategy != .warnOnly
        let wake = [w.nextTransition, pools ? entryAt : nil].compactMap { $0 }.filter { $0 > now }.min()
        let look = [w.nextTransition, entryAt].compactMap { $0 }.filter { $0 > now }.min()
        if let wake { wakes.push(.init(time: wake.seconds, index: i, version: version[i])) }
        if let look { recheck.push(.init(time: look.seconds, index: i, version: version[i])) }
    }
}
