/// `token-warden.dev/mode`: what the controller may do about a workload.
public enum PolicyMode: String, Hashable, Sendable, CaseIterable, Codable {
    /// Restart at-risk workloads (the default).
    case restart
    /// Warn only: Events, metrics and the report say what would happen; nothing is written.
    case report
    /// Leave the workload alone entirely (it is out of scope).
    case ignore
}

/// How a workload is restarted. One per kind by default (see `WorkloadKind.traits`).
public enum RestartStrategy: String, Hashable, Sendable, CaseIterable, Codable {
    /// Patch the pod template (`kubectl.kubernetes.io/restartedAt`), as `kubectl rollout restart`.
    case rollout
    /// Evict the pods one at a time through the Eviction API (honours PodDisruptionBudgets).
    case evict
    /// Delete a bare pod and create it again from its own spec (opt-in, bare pods only).
    case recreate
    /// Nothing can or may be restarted: a Warning Event only.
    case warnOnly = "warn-only"
}
