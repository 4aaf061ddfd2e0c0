import KubeModel

/// The assessments kept from one pass to the next, and what each was computed from: the memo of
/// the incremental pass, a value the controller owns and passes in and out (`IncrementalAssessor`).
public struct AssessmentState: Sendable {
    /// The defaults and the audit evidence the assessments were made with: other defaults
    /// re-assess everything; other evidence re-assesses the workloads of the pods it names.
    var defaults: PolicyDefaults?
    var evidence: [String: TokenEvidence] = [:]
    /// The previous pass's clock: a clock that went back re-assesses everything.
    var assessedAt: Timestamp?
    var workloads: [WorkloadID: WorkloadAssessment] = [:]
    /// Every workload in `Assessment.deadlineOrder` (what `Assessment.workloads` is).
    var ordered: [WorkloadAssessment] = []
    var groupsOfWorkload: [WorkloadID: Set<PodGroupKey>] = [:]
    var workloadOfGroup: [PodGroupKey: WorkloadID] = [:]
    /// The workloads whose assessment read an object (the workload itself, its ReplicaSets, …).
    var dependents: [CachedObjectKey: Set<WorkloadID>] = [:]
    var dependencies: [WorkloadID: Set<CachedObjectKey>] = [:]
    /// Each workload's first instant the clock changes its assessment (see `changesByClock`).
    var transitions = InstantIndex()
    /// How many workloads report each diagnostic (`Assessment.diagnostics` is its sorted keys).
    var diagnostics: [Diagnostic: Int] = [:]
    /// The counts the metrics report, kept workload by workload.
    public private(set) var tally = AssessmentTally()

    public init() {}

    /// Workloads assessed again by the last pass (for logs and benchmarks).
    public internal(set) var lastReassessed = 0
    /// The last pass started afresh and assessed every workload (`lastChanged` is then not kept).
    public internal(set) var lastPassAssessedEverything = false
    /// The workloads the last pass assessed again or dropped: what a follower of the state
    /// (`PlanningWatchlist`) takes in.
    public internal(set) var lastChanged: Set<WorkloadID> = []

    /// Every workload's assessment, in no particular order.
    public var allWorkloads: Dictionary<WorkloadID, WorkloadAssessment>.Values { workloads.values }

    public var workloadCount: Int { workloads.count }

    public func workload(_ id: WorkloadID) -> WorkloadAssessment? { workloads[id] }

    /// `ordered`'s position for `workload` (where it is, or where it would go).
    func position(of workload: WorkloadAssessment) -> Int {
        var low = 0, high = ordered.count
        while low < high {
            let middle = (low + high) / 2
            if Assessment.deadlineOrder(ordered[middle], workload) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Takes the assessments of `removed` out and puts `added` (in `Assessment.deadlineOrder`, an
    /// `Assessor`'s output) in. Most passes re-assess a workload after an event that leaves its
    /// deadline and class as they were (a pod's status changed): its new assessment takes the old
    /// one's place in `ordered`, found by a search, and nothing moves; the tables change only
    /// where the two differ (`update`). The others leave and enter `ordered` in one sweep each,
    /// not one move of the array's tail per workload (48k at 150k pods).
    mutating func replace(_ removed: some Sequence<WorkloadID>, with added: [WorkloadAssessment]) {
        // Every position is found before `ordered` changes.
        var vacated: [WorkloadID: Int] = [:]
        var previous: [WorkloadID: WorkloadAssessment] = [:]
        for id in removed {
            guard let old = workloads[id] else { continue }
            previous[id] = old
            let at = position(of: old)
            if at < ordered.count, ordered[at].id == id { vacated[id] = at }
        }
        var entering: [WorkloadAssessment] = []
        for workload in added {
            if let at = vacated[workload.id], let old = previous[workload.id], Self.samePlace(old, workload) {
                ordered[at] = workload
                vacated[workload.id] = nil
            } else {
                entering.append(workload)
            }
        }
        removeFromOrdered(at: vacated.values.sorted())
        insertIntoOrdered(entering)
        for workload in added {
            if let old = previous.removeValue(forKey: workload.id) { update(old, to: workload) } else { record(workload) }
        }
        for id in previous.keys { forget(id) }
    }

    /// Equal keys of `Assessment.deadlineOrder`: one takes the other's place in the order.
    private static func samePlace(_ a: WorkloadAssessment, _ b: WorkloadAssessment) -> Bool {
        a.deadline == b.deadline && a.classification.urgency == b.classification.urgency && a.id == b.id
    }

    /// Every table but `ordered` lets go of `id`'s assessment.
    private mutating func forget(_ id: WorkloadID) {
        guard let old = workloads.removeValue(forKey: id) else { return }
        if !lastPassAssessedEverything { lastChanged.insert(id) }
        transitions.set(id, nil)
        tally.subtract(old)
        unlink(id, from: dependencies.removeValue(forKey: id) ?? [])
        count(old.diagnostics, by: -1)
    }

    /// Every table but `ordered` takes `new` in place of `old`, the same workload's last
    /// assessment, changing only what differs: the same as `forget` then `record`.
    private mutating func update(_ old: WorkloadAssessment, to new: WorkloadAssessment) {
        let id = new.id
        workloads[id] = new
        if !lastPassAssessedEverything { lastChanged.insert(id) }
        if !AssessmentTally.countsAlike(old, new) {
            tally.subtract(old)
            tally.add(new)
        }
        let keys = Self.dependencies(of: new, groups: groupsOfWorkload[id] ?? [])
        let oldKeys = dependencies[id] ?? []
        if keys != oldKeys {
            unlink(id, from: oldKeys.subtracting(keys))
            link(id, to: keys.subtracting(oldKeys))
            dependencies[id] = keys
        }
        if old.diagnostics != new.diagnostics {
            count(old.diagnostics, by: -1)
            count(new.diagnostics, by: 1)
        }
        transitions.set(id, Self.changesByClock(new))
    }

    /// `id`'s assessment no longer reads the objects of `keys`.
    private mutating func unlink(_ id: WorkloadID, from keys: Set<CachedObjectKey>) {
        for key in keys {
            dependents[key]?.remove(id)
            if dependents[key]?.isEmpty == true { dependents[key] = nil }
        }
    }

    /// `id`'s assessment reads the objects of `keys`.
    private mutating func link(_ id: WorkloadID, to keys: Set<CachedObjectKey>) {
        for key in keys { dependents[key, default: []].insert(id) }
    }

    /// Counts each of `list` in (`step` 1) or out (−1); a count that reaches zero is dropped.
    private mutating func count(_ list: [Diagnostic], by step: Int) {
        for diagnostic in list {
            diagnostics[diagnostic, default: 0] += step
            if diagnostics[diagnostic] == 0 { diagnostics[diagnostic] = nil }
        }
    }

    /// Drops `ordered`'s elements at `positions` (ascending): the rest move down once, in one sweep.
    private mutating func removeFromOrdered(at positions: [Int]) {
        guard let first = positions.first else { return }
        if positions.count == 1 {
            ordered.remove(at: first)
            return
        }
        ordered.withUnsafeMutableBufferPointer { buffer in
            var target = first, next = 0
            for source in first..<buffer.count {
                if next < positions.count, positions[next] == source {
                    next += 1
                    continue
                }
                buffer.swapAt(source, target)
                target += 1
            }
        }
        ordered.removeLast(positions.count)
    }

    /// `added`, in `Assessment.deadlineOrder`, none of them held, put in place in one sweep from
    /// the end: the elements after the first insertion point move up once, by swaps (moves, no
    /// retains), instead of the array's tail moving at each insertion (the first pass at 48k
    /// workloads spent seconds on that) or every element being copied into a merged array (a
    /// retain and a release each, 48k per pass).
    private mutating func insertIntoOrdered(_ added: [WorkloadAssessment]) {
        guard added.count > 1 else {
            for workload in added { ordered.insert(workload, at: position(of: workload)) }
            return
        }
        // Where each goes in the array as it is: in order, as `added` is.
        let positions = added.map(position(of:))
        let oldCount = ordered.count
        ordered.append(contentsOf: added)  // the room; these copies are overwritten below
        ordered.withUnsafeMutableBufferPointer { buffer in
            var source = oldCount - 1, target = buffer.count - 1
            for index in added.indices.reversed() {
                while source >= positions[index] {
                    buffer.swapAt(source, target)
                    source -= 1
                    target -= 1
                }
                buffer[target] = added[index]
                target -= 1
            }
        }
    }

    /// Every table but `ordered` takes in `workload`.
    private mutating func record(_ workload: WorkloadAssessment) {
        let id = workload.id
        workloads[id] = workload
        if !lastPassAssessedEverything { lastChanged.insert(id) }
        tally.add(workload)
        let keys = Self.dependencies(of: workload, groups: groupsOfWorkload[id] ?? [])
        dependencies[id] = keys
        link(id, to: keys)
        count(workload.diagnostics, by: 1)
        transitions.set(id, Self.changesByClock(workload))
    }

    /// The first instant the clock alone changes anything in the assessment: the workload's
    /// `nextTransition`, or an earlier one of a pod that does not count for it (out of scope).
    static func changesByClock(_ workload: WorkloadAssessment) -> Timestamp? {
        var next = workload.nextTransition
        for pod in workload.pods {
            if let instant = pod.nextTransition, next.map({ instant < $0 }) ?? true { next = instant }
        }
        return next
    }

    /// Workloads whose classification the clock changes by `now`; reminders of workloads
    /// re-assessed since are dropped.
    mutating func dueTransitions(_ now: Timestamp) -> [WorkloadID] {
        transitions.removeDue(now)
    }

    /// The objects an assessment read: the workload object, each pod group's controller (every
    /// ReplicaSet of a Deployment) and the rest of the chain, whether or not they exist: one
    /// created later changes the assessment.
    static func dependencies(of workload: WorkloadAssessment, groups: Set<PodGroupKey>) -> Set<CachedObjectKey> {
        var keys = Set([CachedObjectKey(workload.ref)] + workload.ownerChain.map(CachedObjectKey.init))
        for case .owned(let namespace, _, let kind, let name, _) in groups {
            keys.insert(CachedObjectKey(kind: kind, namespace: namespace, name: name))
        }
        return keys
    }

    var assessment: Assessment {
        Assessment(generatedAt: assessedAt ?? Timestamp(seconds: 0), workloads: ordered, diagnostics: diagnostics.keys.sorted())
    }
}
