import KubeModel

/// Whether a workload's pods are being replaced, judged from its status the way
/// `kubectl rollout status` does.
public enum RolloutStatus: Hashable, Sendable {
    case complete
    case progressing(String)
    /// The Deployment's `Progressing` condition says `ProgressDeadlineExceeded`.
    case failed(String)
    /// No rollout to judge (OnDelete, bare ReplicaSet counts are used instead, bare pods, Jobs, unknown objects).
    case notApplicable

    public var isInProgress: Bool {
        if case .progressing = self { return true }
        return false
    }

    public static func of(_ d: Deployment) -> RolloutStatus {
        let status = d.status ?? Deployment.Status()
        if let generation = d.metadata.generation, (status.observedGeneration ?? 0) < generation {
            return .progressing("waiting for the rollout to be observed")
        }
        if let condition = status.conditions?.first(where: { $0.type == "Progressing" }), condition.reason == "ProgressDeadlineExceeded" {
            return .failed("progress deadline exceeded")
        }
        let desired = d.spec.replicas ?? 1
        let updated = status.updatedReplicas ?? 0
        if updated < desired { return .progressing("\(updated) of \(desired) new replicas updated") }
        if (status.replicas ?? 0) > updated { return .progressing("\((status.replicas ?? 0) - updated) old replicas pending termination") }
        if (status.availableReplicas ?? 0) < updated { return .progressing("\(status.availableReplicas ?? 0) of \(updated) updated replicas available") }
        return .complete
    }

    public static func of(_ s: StatefulSet) -> RolloutStatus {
        guard (s.spec.updateStrategy?.type ?? "RollingUpdate") == "RollingUpdate" else { return .notApplicable }
        let status = s.status ?? StatefulSet.Status()
        if let generation = s.metadata.generation, (status.observedGeneration ?? 0) < generation {
            return .progressing("waiting for the rollout to be observed")
        }
        let desired = s.spec.replicas ?? 1
        if (status.readyReplicas ?? 0) < desired { return .progressing("\(status.readyReplicas ?? 0) of \(desired) pods ready") }
        if let update = status.updateRevision, let current = status.currentRevision, update != current {
            return .progressing("\(status.updatedReplicas ?? 0) of \(desired) pods at the new revision")
        }
        return .complete
    }

    public static func of(_ d: DaemonSet) -> RolloutStatus {
        guard (d.spec.updateStrategy?.type ?? "RollingUpdate") == "RollingUpdate" else { return .notApplicable }
        let status = d.status ?? DaemonSet.Status()
        if let generation = d.metadata.generation, (status.observedGeneration ?? 0) < generation {
            return .progressing("waiting for the rollout to be observed")
        }
        let desired = status.desiredNumberScheduled ?? 0
        if (status.updatedNumberScheduled ?? 0) < desired { return .progressing("\(status.updatedNumberScheduled ?? 0) of \(desired) updated pods scheduled") }
        if (status.numberAvailable ?? 0) < desired { return .progressing("\(status.numberAvailable ?? 0) of \(desired) updated pods available") }
        return .complete
    }

    /// An Argo Rollout, judged from what its controller reports: a restart is done when
    /// `status.restartedAt` equals `spec.restartAt`; an update when the stable ReplicaSet's
    /// pod-template-hash is the current one; then every replica updated and available.
    public static func of(_ r: ArgoRollout) -> RolloutStatus {
        let status = r.status ?? ArgoRollout.Status()
        if let restartAt = r.spec.restartAt, status.restartedAt != restartAt {
            return .progressing("restarting the pods created before spec.restartAt \(restartAt)")
        }
        if status.phase == "Degraded" { return .failed(status.message ?? "the Rollout is degraded") }
        if let current = status.currentPodHash, let stable = status.stableRS, current != stable {
            return .progressing("an update to pod-template-hash \(current) is under way")
        }
        let desired = r.spec.replicas ?? 1
        let updated = status.updatedReplicas ?? 0
        if updated < desired { return .progressing("\(updated) of \(desired) new replicas updated") }
        if (status.availableReplicas ?? 0) < desired { return .progressing("\(status.availableReplicas ?? 0) of \(desired) replicas available") }
        return .complete
    }

    /// ReplicaSets and ReplicationControllers: replacements of evicted pods not yet available.
    public static func of(spec: ReplicaSpec, status: ReplicaStatus?) -> RolloutStatus {
        let desired = spec.replicas ?? 1
        let available = status?.availableReplicas ?? 0
        if available < desired { return .progressing("\(available) of \(desired) pods available") }
        return .complete
    }
}
