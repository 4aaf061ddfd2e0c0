import KubeModel

/// What the owner resolver, the policy and the planner read from one workload object, as its
/// kind's registry entry (`WorkloadKindSpec`) extracts it.
struct WorkloadFacts {
    var ref: ObjectRef
    var annotations: [String: String]
    var templateAnnotations: [String: String]?
    var paused: Bool
    /// Why a rollout restart cannot proceed (paused, `OnDelete`); nil: it can.
    var templateBlocker: String?
    var rollout: RolloutStatus
    var generation: Int64?
    var controller: OwnerReference?
}
