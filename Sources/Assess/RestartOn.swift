/// `token-warden.dev/restart-on` (flag `--restart-on`): what a restart for token age needs.
public enum RestartOn: String, Hashable, Sendable, CaseIterable, Codable {
    /// The token-age model: restart what mounts a token old enough to expire (the default).
    case estimate
    /// Only workloads with a pod the API server's audit events show presenting a stale token,
    /// by that token's issue time; others at risk by estimate are `unconfirmed` and left running.
    /// `tokens-invalid-before` (a rotated signing key) restarts regardless.
    case evidence
}
