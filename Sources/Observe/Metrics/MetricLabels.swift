/// How the assessment classifies a pod (or a workload, by its worst pod).
/// The controller maps the Assess module's verdicts onto these label values.
public enum TokenClassification: String, CaseIterable, Sendable, Hashable {
    case ok
    case atRisk = "at_risk"
    /// At risk by estimate, but restart-on: evidence and no evidence: not restarted.
    case unconfirmed
    case expired
    case invalidated
    case unprotectable
    case outOfScope = "out_of_scope"
    case confirmedStale = "confirmed_stale"
}

/// Outcome of a restart or eviction, the `result` label.
public enum ActionResult: String, CaseIterable, Sendable, Hashable {
    /// The rollout finished, or the eviction was accepted and the replacement became Ready.
    case succeeded
    /// The API refused or the request failed.
    case failed
    /// The rollout or replacement did not become Ready within its timeout.
    case timedOut = "timed_out"
    /// A PodDisruptionBudget blocked the eviction (429) until the evict timeout.
    case blocked
    /// Only reported (mode `report`, bare pod, paused Deployment…): nothing was changed.
    case reported
}

/// Why a due restart waited, the `cause` label. Open set: the planner may add causes.
public struct DeferralCause: RawRepresentable, Hashable, Sendable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let maintenanceWindow = DeferralCause(rawValue: "maintenance_window")
    public static let clusterLimit = DeferralCause(rawValue: "cluster_limit")
    public static let namespaceLimit = DeferralCause(rawValue: "namespace_limit")
    public static let cooldown = DeferralCause(rawValue: "cooldown")
    public static let disruptionBudget = DeferralCause(rawValue: "disruption_budget")
    public static let rolloutInProgress = DeferralCause(rawValue: "rollout_in_progress")
    /// A write was refused or failed: the workload waits out its backoff.
    public static let backoff = DeferralCause(rawValue: "backoff")
    public static let notLeader = DeferralCause(rawValue: "not_leader")
}

/// Evidence found in an audit event, the `evidence` label.
public enum AuditEvidenceKind: String, CaseIterable, Sendable {
    case staleToken = "stale_token"
    case legacyTokenInvalidated = "legacy_token_invalidated"
    case none
}

/// How the audit webhook answered a request, the `result` label.
public enum WebhookRequestResult: String, CaseIterable, Sendable {
    case accepted
    /// Neither a client certificate nor a bearer token.
    case missingCredentials = "missing_credentials"
    /// A bearer token that is not the one in `--audit-webhook-token-file` (or no token is configured).
    case invalidToken = "invalid_token"
    /// A client certificate not signed by `--audit-webhook-client-ca-file` (or expired, or no CA is configured).
    case untrustedCertificate = "untrusted_certificate"
    /// Authenticated, but not an audit EventList (wrong path, method, content type or body).
    case badRequest = "bad_request"
}

/// Why stale-token evidence from an authenticated batch was not used, the `reason` label.
public enum AuditEventDropReason: String, CaseIterable, Sendable {
    case notServiceAccount = "not_service_account"
    case unknownPod = "unknown_pod"
}

/// Where a replica has a pod's stale-token evidence from, the `source` label.
public enum EvidenceSourceLabel: String, CaseIterable, Sendable {
    /// The pod's own annotations (written by any replica or by `token-warden audit --record`).
    case annotation
    /// A webhook batch this replica received, not on the pod yet.
    case webhook
}
