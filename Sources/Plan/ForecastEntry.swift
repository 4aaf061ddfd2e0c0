import Assess
import KubeModel

/// When a workload that needs a restart can expect it, given windows, limits and rollout time.
public struct ForecastEntry: Hashable, Sendable {
    public var workload: WorkloadID
    public var deadline: Timestamp?
    /// The earliest instant its restart can start; nil when no window ever opens.
    public var earliestStart: Timestamp?
    public var expectedCompletion: Timestamp?
    /// The restart would finish after the deadline (or cannot be scheduled at all).
    public var missesDeadline: Bool
    /// The deadline has already passed (expired / invalidated).
    public var deadlinePassed: Bool
    /// Not due yet: its restart falls due within the forecast horizon.
    public var upcoming: Bool

    public init(
        workload: WorkloadID, deadline: Timestamp?, earliestStart: Timestamp?, expectedCompletion: Timestamp?,
        missesDeadline: Bool, deadlinePassed: Bool, upcoming: Bool = false
    ) {
        self.workload = workload
        self.deadline = deadline
        self.earliestStart = earliestStart
        self.expectedCompletion = expectedCompletion
        self.missesDeadline = missesDeadline
        self.deadlinePassed = deadlinePassed
        self.upcoming = upcoming
    }
}
