/// What the token-age model concludes about a container, a pod or a workload.
/// Declared from most to least urgent; a pod or workload takes its most urgent member's class.
public enum Classification: String, Hashable, Sendable, CaseIterable, Codable, Comparable {
    /// Audit events prove the pod used a token past its warn-after time, and it needs a restart.
    case confirmedStale = "confirmed-stale"
    /// Started before the key rotation (`tokens-invalid-before` + refresh lag): its token is rejected.
    case invalidated
    /// Its token is past its (extended) expiry.
    case expired
    /// Its token expires within `restart-before`.
    case atRisk = "at-risk"
    /// At risk (or expired) by the estimate, but `restart-on: evidence` and no audit evidence
    /// for it: not restarted, reported (`UnconfirmedAtRisk`).
    case unconfirmed
    /// The token lifetime is `none` or not longer than `restart-before`: a restart cannot help.
    case unprotectable
    case ok
    /// Not Running, mirror pod, terminating, no container holding an API token, or `mode: ignore`.
    case outOfScope = "out-of-scope"

    /// 0 is the most urgent.
    public var urgency: Int {
        switch self {
        case .confirmedStale: return 0
        case .invalidated: return 1
        case .expired: return 2
        case .atRisk: return 3
        case .unconfirmed: return 4
        case .unprotectable: return 5
        case .ok: return 6
        case .outOfScope: return 7
        }
    }

    /// A restart is what fixes it.
    public var needsRestart: Bool {
        switch self {
        case .confirmedStale, .invalidated, .expired, .atRisk: return true
        case .unconfirmed, .unprotectable, .ok, .outOfScope: return false
        }
    }

    /// Ordered by urgency (most urgent first).
    public static func < (a: Classification, b: Classification) -> Bool { a.urgency < b.urgency }

    /// CamelCase, as kubectl prints statuses.
    public var displayName: String {
        switch self {
        case .confirmedStale: return "ConfirmedStale"
        case .invalidated: return "Invalidated"
        case .expired: return "Expired"
        case .atRisk: return "AtRisk"
        case .unconfirmed: return "Unconfirmed"
        case .unprotectable: return "Unprotectable"
        case .ok: return "OK"
        case .outOfScope: return "OutOfScope"
        }
    }
}
