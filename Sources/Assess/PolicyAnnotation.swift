/// The `token-warden.dev/` annotations: policy (looked up on the workload, then its Namespace,
/// then the flags) and the restart state the controller keeps on workloads.
public enum PolicyAnnotation: String, CaseIterable, Sendable, Codable {
    case mode = "token-warden.dev/mode"
    case tokenLifetime = "token-warden.dev/token-lifetime"
    case restartBefore = "token-warden.dev/restart-before"
    case tokensInvalidBefore = "token-warden.dev/tokens-invalid-before"
    case strategy = "token-warden.dev/strategy"
    case maintenanceWindow = "token-warden.dev/maintenance-window"

    /// When the controller last restarted the workload (RFC 3339); written by the controller.
    public static let restartedAt = "token-warden.dev/restarted-at"
    /// The deadline that restart was made for (RFC 3339): never restart twice for one deadline.
    public static let restartForDeadline = "token-warden.dev/restart-for-deadline"
    /// Written (controller) when the restart of `restarted-at` is seen complete and announced:
    /// a new process or leader neither announces nor counts it again.
    public static let restartCompletedAt = "token-warden.dev/restart-completed-at"
    /// Audit evidence on a pod (RFC 3339): when the token its process presented was issued
    /// (seen − (N + 3607 s), N from the stale-token annotation), and when it was last seen in use.
    public static let staleTokenIssuedAt = "token-warden.dev/stale-token-issued-at"
    public static let staleTokenSeenAt = "token-warden.dev/stale-token-seen-at"
    /// The annotation `kubectl rollout restart` puts on the pod template.
    public static let kubectlRestartedAt = "kubectl.kubernetes.io/restartedAt"
}

/// Where an effective policy value came from.
public enum PolicyOrigin: String, Hashable, Sendable, Codable {
    case workload
    case namespace
    case defaults = "default"
}
