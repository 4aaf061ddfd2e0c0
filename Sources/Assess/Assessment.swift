import KubeModel

/// The result of one assessment run: every workload with pods, most urgent deadline first.
public struct Assessment: Hashable, Sendable {
    public var generatedAt: Timestamp
    /// Sorted by deadline (none last), then urgency, then namespace, kind, name.
    public var workloads: [WorkloadAssessment]
    /// All diagnostics, deduplicated and sorted.
    public var diagnostics: [Diagnostic]

    public init(generatedAt: Timestamp, workloads: [WorkloadAssessment], diagnostics: [Diagnostic]) {
        self.generatedAt = generatedAt
        self.workloads = workloads
        self.diagnostics = diagnostics
    }

    /// Number of workloads per class.
    public var counts: [Classification: Int] {
        var counts: [Classification: Int] = [:]
        for workload in workloads { counts[workload.classification, default: 0] += 1 }
        return counts
    }

    public func workload(_ id: WorkloadID) -> WorkloadAssessment? { workloads.first { $0.id == id } }

    /// The earliest instant any classification changes by the clock alone.
    /// A plain loop: read at every pass over tens of thousands of workloads, where a lazy
    /// key-path `compactMap` projected (copied) each workload through the key path (a sixth of
    /// the steady pass's CPU at 48k workloads).
    public var nextTransition: Timestamp? {
        var next: Timestamp?
        for workload in workloads {
            if let instant = workload.nextTransition, next.map({ instant < $0 }) ?? true { next = instant }
        }
        return next
    }

    /// `workloads` in `deadlineOrder`: small keys are sorted, then the large values are put in
    /// place by swaps (moves, not copies that would retain every field).
    public static func sortedByDeadline(_ workloads: consuming [WorkloadAssessment]) -> [WorkloadAssessment] {
        let never = Timestamp(seconds: .max)
        var order = workloads.indices.map { (deadline: workloads[$0].deadline ?? never, urgency: workloads[$0].classification.urgency, index: $0) }
            .sorted { a, b in
                if a.deadline != b.deadline { return a.deadline < b.deadline }
                if a.urgency != b.urgency { return a.urgency < b.urgency }
                return workloads[a.index].id < workloads[b.index].id
            }
            .map(\.index)
        var sorted = workloads
        // Position i takes the element at order[i]: follow each cycle of the permutation.
        for start in order.indices where order[start] != start {
            var position = start
            while order[position] != start {
                let next = order[position]
                sorted.swapAt(position, next)
                order[position] = position
                position = next
            }
            order[position] = position
        }
        return sorted
    }

    /// Deadline order used everywhere: earliest deadline, then most urgent class, then name.
    /// Field by field: a tuple of the three would copy both ids (a retain per string) at every
    /// comparison of the sorted state's binary search, although most are decided by the deadline.
    public static func deadlineOrder(_ a: WorkloadAssessment, _ b: WorkloadAssessment) -> Bool {
        let never = Timestamp(seconds: .max)
        let first = a.deadline ?? never, second = b.deadline ?? never
        if first != second { return first < second }
        let firstUrgency = a.classification.urgency, secondUrgency = b.classification.urgency
        if firstUrgency != secondUrgency { return firstUrgency < secondUrgency }
        return a.id < b.id
    }
}
