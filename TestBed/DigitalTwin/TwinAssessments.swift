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
    /// The relevant workloads in `Assessment.deadlineOrder` as of the last pass: a pass changes a
    /// few assessments, so it sorts those and merges them in rather than sorting thousands.
    private var order: [Int] = []
    /// `order`'s assessments: the pass's assessment, made again only when the order or one of
    /// them changed (most passes change only workloads out of view).
    private var ordered: [WorkloadAssessment] = []
    /// The workloads with a restart of ours under way at the last pass: one that starts or ends
    /// one may come into view or leave it.
    private var wasActive: Set<Int> = []
    /// Each workload's place in id order: the order's last tie-break, compared as a number.
    private let idRank: [Int]

    /// `ids`: each workload's id, by index.
    init(ids: [WorkloadID]) {
        let workloads = ids.count
        cached = Array(repeating: nil, count: workloads)
        stale = Array(repeating: true, count: workloads)
        version = Array(repeating: 0, count: workloads)
        var rank = Array(repeating: 0, count: workloads)
        for (place, i) in ids.indices.sorted(by: { ids[$0] < ids[$1] }).enumerated() { rank[i] = place }
        idRank = rank
    }

    /// This pass's assessment of the relevant workloads; `dirty`: workloads whose objects changed
    /// since the last pass (emptied); `active`: those with a restart of ours under way.
    ///
    /// Only workloads something happened to are looked at: their objects changed, their
    /// classification may have changed with the clock (`nextTransition`), an irrelevant one's
    /// restart came within the planner's reach, or a restart of ours began or ended. A relevant
    /// workload stays relevant until one of those happens.
    mutating func assess(
        now: Int64, defaults: PolicyDefaults, config: PlannerConfig, dirty: inout Set<Int>, active: Set<Int>,
        snapshot: (Int) -> ClusterSnapshot
    ) -> Assessment {
        var check = active.symmetricDifference(wasActive)
        wasActive = active
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
        /// Workloads whose place in the order may have changed: assessed again, or in or out of view.
        var moved: [Int] = []
        for i in check {
            let wasRelevant = relevant.contains(i)
            var assessed = false
            if stale[i] || cached[i]?.nextTransition.map({ at >= $0 }) == true {
                cached[i] = assessor.assess(snapshot(i), now: at).workloads.first
                stale[i] = false
                assessed = true
            }
            classify(i, now: at, config: config, active: active.contains(i))
            // Only workloads in view before or after take part in the order.
            if wasRelevant || relevant.contains(i), assessed || wasRelevant != relevant.contains(i) { moved.append(i) }
        }
        if !moved.isEmpty {
            reorder(moved)
            ordered = order.compactMap { cached[$0] }
        }
        return Assessment(generatedAt: at, workloads: ordered, diagnostics: [])
    }

    /// `order` again: the workloads that did not move keep their order; the moved ones still in
    /// view are sorted and merged in.
    private mutating func reorder(_ moved: [Int]) {
        let never = Timestamp(seconds: .max)
        func key(_ i: Int) -> (Timestamp, Int, Int) {
            (cached[i]?.deadline ?? never, cached[i]?.classification.urgency ?? 0, idRank[i])
        }
        let movedSet = Set(moved)
        let kept = order.filter { !movedSet.contains($0) }
        let added = moved.filter { relevant.contains($0) && cached[$0] != nil }.map { (key($0), $0) }.sorted { $0.0 < $1.0 }
        var merged: [Int] = []
        merged.reserveCapacity(kept.count + added.count)
        var a = 0
        for i in kept {
            if a < added.count {
                let k = key(i)
                while a < added.count, added[a].0 < k {
                    merged.append(added[a].1)
                    a += 1
                }
            }
            merged.append(i)
        }
        merged.append(contentsOf: added[a...].map(\.1))
        order = merged
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
            // Assessed again when the clock may change its classification.
            if let next = w.nextTransition { recheck.push(.init(time: next.seconds, index: i, version: version[i])) }
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
