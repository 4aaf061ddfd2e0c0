/// The cluster-wide token grace period the controller works with, and how it was found.
public struct ClusterTokenLifetime: Hashable, Sendable {
    public enum Source: String, Hashable, Sendable, Codable {
        /// Read from the claims of the controller's own projected token (`--token-lifetime auto`).
        case detected
        /// `auto` could not tell (custom projection, legacy Secret, not in a pod, unreadable
        /// token): the upstream default applies.
        case fallback
        /// Set with `--token-lifetime`.
        case flag
        /// Published by a running controller on its Lease (what `report` reads).
        case lease
    }

    /// Lease annotations on which the leader publishes the value it uses, for `token-warden report`.
    public static let leaseLifetimeAnnotation = "token-warden.dev/cluster-token-lifetime"
    public static let leaseEvidenceAnnotation = "token-warden.dev/cluster-token-lifetime-evidence"

    public var lifetime: TokenLifetime
    public var source: Source
    /// The claims that prove the value, or why `auto` fell back. Never contains the token.
    public var evidence: String
    /// The pod the controller's own token is bound to (from its claims), for the Event that says
    /// extension is off.
    public var ownPod: ObjectRef?

    public init(lifetime: TokenLifetime, source: Source, evidence: String, ownPod: ObjectRef? = nil) {
        self.lifetime = lifetime
        self.source = source
        self.evidence = evidence
        self.ownPod = ownPod
    }

    /// `auto` could not tell: 365 d, with the reason.
    public static func fallback(_ reason: String) -> ClusterTokenLifetime {
        ClusterTokenLifetime(lifetime: .upstreamDefault, source: .fallback, evidence: "\(reason); assuming 365d")
    }

    /// Extension is off: restarts cannot protect old clients.
    public var extensionIsOff: Bool { lifetime == .none }

    /// The gauge value: the lifetime in seconds, 0 when extension is off.
    public var seconds: Int64 {
        switch lifetime {
        case .extended(let seconds): return seconds
        case .none: return 0
        }
    }

    /// The annotations the leader writes on its Lease.
    public var leaseAnnotations: [String: String] {
        [Self.leaseLifetimeAnnotation: lifetime.description, Self.leaseEvidenceAnnotation: "\(source.rawValue): \(evidence)"]
    }

    /// What a running controller published on its Lease `lease` (`namespace/name`); nil
    /// annotations: there is no such Lease. Falls back to 365 d, saying why.
    public static func published(onLease annotations: [String: String]?, lease: String) -> ClusterTokenLifetime {
        guard let annotations else {
            return .fallback("no Lease \(lease): no controller has published the cluster's token lifetime")
        }
        guard let text = annotations[leaseLifetimeAnnotation] else {
            return .fallback("Lease \(lease) has no \(leaseLifetimeAnnotation) annotation (controller older than this report, or not leading yet)")
        }
        switch TokenLifetime.parse(text) {
        case .success(let lifetime):
            let evidence = annotations[leaseEvidenceAnnotation].map { ": \($0)" } ?? ""
            return ClusterTokenLifetime(lifetime: lifetime, source: .lease, evidence: "published on Lease \(lease)\(evidence)")
        case .failure(let error):
            return .fallback("Lease \(lease) has an invalid \(leaseLifetimeAnnotation)=\"\(text)\" (\(error))")
        }
    }
}
