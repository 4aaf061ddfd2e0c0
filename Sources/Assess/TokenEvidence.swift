import KubeModel

/// What the API server showed about the token one pod presents (the audit annotation
/// `authentication.k8s.io/stale-token` on a request of that pod): hard evidence that the pod's
/// process holds an old token, and how old. Keyed by pod uid wherever it is passed around.
public struct TokenEvidence: Sendable, Hashable {
    /// Where the controller learned it.
    public enum Source: String, Sendable, Hashable, CaseIterable {
        /// A batch this replica received on the audit webhook.
        case webhook
        /// An exported audit log (`token-warden audit`).
        case auditLog = "audit_log"
        /// The pod's own annotations, written by whichever replica or command learned it first.
        case annotation
    }

    public var source: Source
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
    /// The ServiceAccount the token belongs to (`namespace:name` is the pod's namespace); nil
    /// when only the annotations were read.
    public var serviceAccount: String?
    /// When the token in use was issued: the event's time − ("seconds after warning threshold" +
    /// 3607 s), the earliest over what was seen.
    public var tokenIssuedAt: Timestamp

    public init(source: Source, firstSeen: Timestamp, lastSeen: Timestamp, serviceAccount: String?, tokenIssuedAt: Timestamp) {
        self.source = source
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.serviceAccount = serviceAccount
        self.tokenIssuedAt = tokenIssuedAt
    }

    /// Both pieces of evidence about one pod: the earlier issue time (the older token is the one
    /// that matters), the widest seen range; this one's source unless only the other knew the account.
    public func merged(with other: TokenEvidence) -> TokenEvidence {
        TokenEvidence(
            source: source, firstSeen: min(firstSeen, other.firstSeen), lastSeen: max(lastSeen, other.lastSeen),
            serviceAccount: serviceAccount ?? other.serviceAccount, tokenIssuedAt: min(tokenIssuedAt, other.tokenIssuedAt))
    }

    /// The API server's warn-after is iat + 3607 s (`WarnOnlyBoundTokenExpirationSeconds`).
    public static let warnAfterSeconds: Int64 = 3607

    /// The issue time of the token a request presented `secondsAfterWarning` after its warn-after, at `seen`.
    public static func issuedAt(seen: Timestamp, secondsAfterWarning: Int64) -> Timestamp {
        seen - (secondsAfterWarning + warnAfterSeconds)
    }
}
