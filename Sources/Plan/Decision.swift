import Assess
import KubeModel

/// The planner's verdict for one workload.
public struct Decision: Hashable, Sendable {
    public var workload: WorkloadID
    public var ref: ObjectRef
    public var action: PlanAction
    public var classification: Classification
    public var deadline: Timestamp?
    public var confirmedStale: Bool
    /// Pods holding tokens that need the restart, most urgent first (what an eviction sequence evicts).
    public var pods: [ObjectRef]
    /// One sentence for Events and logs.
    public var message: String
    /// Set when the restart starts before it is due, to spread a herd of deadlines.
    public var early: EarlyStart?

    public init(
        workload: WorkloadID, ref: ObjectRef, action: PlanAction, classification: Classification, deadline: Timestamp?,
        confirmedStale: Bool, pods: [ObjectRef], message: String, early: EarlyStart? = nil
    ) {
        self.workload = workload
        self.ref = ref
        self.action = action
        self.classification = classification
        self.deadline = deadline
        self.confirmedStale = confirmedStale
        self.pods = pods
        self.message = message
        self.early = early
    }
}
