import KubeModel

/// One workload (or bare pod) under the token-age model, with everything the planner,
/// the report and the Events need.
public struct WorkloadAssessment: Hashable, Sendable {
    public var id: WorkloadID
    /// The workload object (with its uid when known).
    public var ref: ObjectRef
    /// Objects between the pods and the workload (a Deployment's ReplicaSets) or above it (a Job's CronJob).
    public var ownerChain: [ObjectRef]
    /// Whether the workload object itself was in the snapshot (custom owners never are).
    public var objectKnown: Bool
    public var pods: [PodAssessment]
    /// The most urgent pod's class (`out-of-scope` when no pod is in scope).
    public var classification: Classification
    public var reason: String
    /// The earliest pod deadline: when the first token stops working.
    public var deadline: Timestamp?
    /// When a restart becomes due (deadline − restart-before; the rotation instant when invalidated).
    public var restartDue: Timestamp?
    public var oldestTokenIssuedAt: Timestamp?
    public var confirmedStale: Bool
    public var policy: EffectivePolicy
    public var restartState: RestartState
    public var rollout: RolloutStatus
    public var paused: Bool
    /// metadata.generation of the workload object (to tell whether a patch was observed).
    public var generation: Int64?
    /// Diagnostics about this workload's annotations and its Namespace's.
    public var diagnostics: [Diagnostic]
    /// The next instant its classification can change by the clock alone.
    public var nextTransition: Timestamp?

    /// The strategy that will be used (`policy.strategy`).
    public var strategy: RestartStrategy { policy.strategy }

    /// Pods that hold an API token and are in scope.
    public var podsInScope: [PodAssessment] { pods.filter { $0.classification != .outOfScope } }
}
