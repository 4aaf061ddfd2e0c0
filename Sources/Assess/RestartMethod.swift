/// How a restart is carried out: the strategies that restart something. A restart decision
/// carries one of these, so "restart, warn only" cannot be written down; `RestartStrategy`
/// (the policy's choice) adds `warn-only`, which restarts nothing.
public enum RestartMethod: String, Hashable, Sendable, CaseIterable, Codable {
    /// Patch the pod template (`kubectl.kubernetes.io/restartedAt`), as `kubectl rollout restart`.
    case rollout
    /// Evict the pods one at a time through the Eviction API (honours PodDisruptionBudgets).
    case evict
    /// Delete a bare pod and create it again from its own spec (opt-in, bare pods only).
    case recreate
}

extension RestartStrategy {
    /// The way this strategy restarts; nil for `warn-only`.
    public var method: RestartMethod? {
        switch self {
        case .rollout: .rollout
        case .evict: .evict
        case .recreate: .recreate
        case .warnOnly: nil
        }
    }
}
