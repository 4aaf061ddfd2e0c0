import Assess
import KubeModel

/// What the planner reads of an assessment: the workloads it may act on, in deadline order, and
/// a summary of the others. An `Assessment` is a view of itself (every workload, nothing
/// summarised); `PlanningWatchlist` keeps a smaller one from pass to pass.
public struct PlanningView: Sendable {
    /// In `Assessment.deadlineOrder`: every workload the planner may act on (more do no harm).
    public var workloads: [WorkloadAssessment]
    /// The earliest `nextTransition` of every workload, those left out included.
    public var nextTransition: Timestamp?
    /// The earliest instant a workload left out comes within spreading's reach (`Planner`'s
    /// pool entry), if spreading looks for any.
    public var poolEntry: Timestamp?

    public init(workloads: [WorkloadAssessment], nextTransition: Timestamp?, poolEntry: Timestamp? = nil) {
        self.workloads = workloads
        self.nextTransition = nextTransition
        self.poolEntry = poolEntry
    }

    public init(_ assessment: Assessment) {
        self.init(workloads: assessment.workloads, nextTransition: assessment.nextTransition)
    }
}
