/// One workload's earliest token deadline, as the controller hands it to `WardenMetrics`.
public struct WorkloadDeadline: Sendable, Hashable {
    public var namespace: String
    public var kind: String
    public var name: String
    /// Seconds from now until the earliest deadline over the workload's pods; negative when passed.
    public var secondsRemaining: Double
    /// True for at-risk, expired, invalidated and confirmed-stale workloads: always exported.
    public var needsRestart: Bool

    public init(namespace: String, kind: String, name: String, secondsRemaining: Double, needsRestart: Bool) {
        self.namespace = namespace
        self.kind = kind
        self.name = name
        self.secondsRemaining = secondsRemaining
        self.needsRestart = needsRestart
    }
}

/// Which workloads get a `token_warden_workload_deadline_remaining_seconds` series.
///
/// Cardinality stays bounded: every workload that needs a restart (earliest first, at most
/// `maximumSeries`), plus the `nextEarliest` (default 10) healthy workloads with the earliest deadlines
/// so a dashboard shows what comes next. Everything else has no series.
public struct DeadlineSeriesSelection: Sendable {
    public static let defaultNextEarliest = 10
    public static let defaultMaximumSeries = 500

    public var nextEarliest: Int
    public var maximumSeries: Int

    public init(nextEarliest: Int = defaultNextEarliest, maximumSeries: Int = defaultMaximumSeries) {
        self.nextEarliest = max(0, nextEarliest)
        self.maximumSeries = max(0, maximumSeries)
    }

    public func select(_ deadlines: [WorkloadDeadline]) -> [WorkloadDeadline] {
        let ordered = deadlines.sorted { lhs, rhs in
            if lhs.secondsRemaining != rhs.secondsRemaining { return lhs.secondsRemaining < rhs.secondsRemaining }
            return (lhs.namespace, lhs.kind, lhs.name) < (rhs.namespace, rhs.kind, rhs.name)
        }
        var selected = Array(ordered.lazy.filter(\.needsRestart).prefix(maximumSeries))
        let room = min(nextEarliest, maximumSeries - selected.count)
        if room > 0 {
            selected.append(contentsOf: ordered.lazy.filter { !$0.needsRestart }.prefix(room))
        }
        return selected
    }
}
