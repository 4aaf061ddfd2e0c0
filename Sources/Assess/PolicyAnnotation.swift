/// The `token-warden.dev/` annotations: policy (looked up on the workload, then its Namespace,
/// then the flags) and the restart state the controller keeps on workloads.
public enum PolicyAnnotation: String, CaseIterable, Sendable, Codable {
    case mode = "token-warden.dev/mode"
    case tokenLifetime = "token-warden.dev/token-lifetime"
    case restartBefore = "token-warden.dev/restart-before"
    case tokensInvalidBefore = "token-warden.dev/tokens-invalid-before"
    case strategy = "token-warden.dev/strategy"
    case maintenanceWindow = "token-warden.dev/maintenance-window"
    case maxLead = "token-warden.dev/max-lead"

    /// When the controller last restarted the workload (RFC 3339); written by the controller.
    public static let restartedAt = "token-warden.dev/restarted-at"
    /// The deadline that restart was made for (RFC 3339): never restart twice for one deadline.
    public static let restartForDeadline = "token-warden.dev/restart-for-deadline"
    /// The annotation `kubectl rollout restart` puts on the pod template.
    public static let kubectlRestartedAt = "kubectl.kubernetes.io/restartedAt"
}

/// Where an effective policy value came from.
public enum PolicyOrigin: String, Hashable, Sendable, Codable {
    case workload
    case namespace
    case defaults = "default"
}
