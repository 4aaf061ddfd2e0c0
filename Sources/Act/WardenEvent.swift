import Assess
import Plan

/// One Event token-warden reports about an object (a workload, or a bare pod).
public struct WardenEvent: Hashable, Sendable {
    /// The object the Event is about (its uid keys deduplication and the spam filter).
    public var regarding: ObjectRef
    /// `apps/v1`, `v1`, …; derived from the kind for the kinds Kubernetes ships.
    public var apiVersion: String
    public var type: EventType
    public var reason: EventReason
    /// One sentence a person can act on (deadline and cause included).
    public var message: String
    /// What was done or attempted, CamelCase (`Restart`, `Evict`, `Recreate`, `Assess`, …).
    public var action: String

    public init(
        regarding: ObjectRef, apiVersion: String? = nil, type: EventType, reason: EventReason, message: String,
        action: String = "Assess"
    ) {
        self.regarding = regarding
        self.apiVersion = apiVersion ?? WardenEvent.apiVersion(ofKind: regarding.kind) ?? ""
        self.type = type
        self.reason = reason
        self.message = message
        self.action = action
    }

    /// An Event about the workload a decision is for.
    public init(decision: Decision, type: EventType, reason: EventReason, message: String? = nil, action: String = "Assess") {
        var apiVersion: String?
        if case .custom(_, let version) = decision.workload.kind { apiVersion = version }
        self.init(regarding: decision.ref, apiVersion: apiVersion, type: type, reason: reason,
                  message: message ?? decision.message, action: action)
    }

    /// The API version of the built-in kinds token-warden reports about, and of the registered
    /// workload kinds (an Argo Rollout's Events name `argoproj.io/v1alpha1`).
    public static func apiVersion(ofKind kind: String) -> String? {
        switch kind {
        case "Pod", "ReplicationController", "Namespace": return "v1"
        case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet": return "apps/v1"
        case "Job", "CronJob": return "batch/v1"
        default: return WorkloadKindRegistry.all.first { $0.resource.kind == kind }?.resource.apiVersion
        }
    }
}
