/// The `token-warden.dev/` annotations: policy (looked up on the workload, then its Namespace,
/// then the flags), the restart state the controller keeps on workloads and the audit evidence
/// it keeps on pods.
public enum PolicyAnnotation: String, CaseIterable, Sendable, Codable {
    case mode = "token-warden.dev/mode"
    case tokenLifetime = "token-warden.dev/token-lifetime"
    case restartBefore = "token-warden.dev/restart-before"
    case tokensInvalidBefore = "token-warden.dev/tokens-invalid-before"
    case strategy = "token-warden.dev/strategy"
    case maintenanceWindow = "token-warden.dev/maintenance-window"
    case restartOn = "token-warden.dev/restart-on"
    case maxLead = "token-warden.dev/max-lead"

    /// When the controller last restarted the workload (RFC 3339); written by the controller.
    public static let restartedAt = "token-warden.dev/restarted-at"
    /// The deadline that restart was made for (RFC 3339): never restart twice for one deadline.
    public static let restartForDeadline = "token-warden.dev/restart-for-deadline"
    /// Written (controller) when the restart of `restarted-at` is seen complete and announced:
    /// a new process or leader neither announces nor counts it again.
    public static let restartCompletedAt = "token-warden.dev/restart-completed-at"
    /// Audit evidence kept on the pod (RFC 3339; written by the controller, or by
    /// `token-warden audit --record`): when the token it presents was issued…
    public static let staleTokenIssuedAt = "token-warden.dev/stale-token-issued-at"
    /// …and when the API server last saw it presented (at the time of that write).
    public static let staleTokenSeenAt = "token-warden.dev/stale-token-seen-at"
    /// On the controller's own pods (RFC 3339): when that replica last took an authenticated audit
    /// batch, so the replica that acts knows the source is alive when another one receives it.
    public static let auditBatchAt = "token-warden.dev/audit-batch-at"
    /// The annotation `kubectl rollout restart` puts on the pod template.
    public static let kubectlRestartedAt = "kubectl.kubernetes.io/restartedAt"
}

/// Where an effective policy value came from.
public enum PolicyOrigin: String, Hashable, Sendable, Codable {
    case workload
    case namespace
    case defaults = "default"
}
