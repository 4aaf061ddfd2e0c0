import KubeModel

/// What `PodAssessment.reason` is made from.
enum PodExplanation: Hashable, Sendable {
    case fixed(String)
    /// Explained from the containers' numbers under this policy.
    case model(Policy)

    struct Policy: Hashable, Sendable {
        var restartBefore: Int64
        var lifetimeIsNone: Bool
        var tokensInvalidBefore: Timestamp?
    }

    func text(for pod: PodAssessment) -> String {
        switch self {
        case .fixed(let text): return text
        case .model(let policy):
            let containers = pod.assessContainers()
            guard !containers.isEmpty else { return "" }
            let relevant = containers.filter { $0.classification != .unprotectable }
            return Self.explain(pod, deciding: relevant.isEmpty ? containers : relevant, policy: policy)
        }
    }

    private static func explain(_ pod: PodAssessment, deciding: [ContainerAssessment], policy: Policy) -> String {
        let first = deciding.filter {
            $0.classification == pod.classification || pod.classification == .confirmedStale || pod.classification == .unconfirmed
        }
            .min { ($0.deadline ?? Timestamp(seconds: .max)) < ($1.deadline ?? Timestamp(seconds: .max)) } ?? deciding[0]
        let what = "container \(first.name)"
        let expiry = first.expiresAt.map { "\($0)" } ?? "never"
        switch pod.classification {
        case .confirmedStale:
            return "audit events show a stale token in use; \(what)'s token expires \(expiry)"
        case .invalidated:
            let rotation = policy.tokensInvalidBefore.map { "\($0)" } ?? "?"
            if case .legacySecret = first.source {
                return "\(what) started before the key rotation at \(rotation); its legacy token Secret must be re-issued too"
            }
            return "\(what) started \(first.startedAt), before the key rotation at \(rotation) + refresh lag \(DurationText.format(first.refreshLag))"
        case .expired:
            return "\(what)'s token expired \(expiry)"
        case .atRisk:
            return "\(what)'s token expires \(expiry), within restart-before \(DurationText.format(policy.restartBefore))"
        case .unconfirmed:
            return "\(what)'s token expires \(expiry) by the estimate, within restart-before \(DurationText.format(policy.restartBefore)); restart-on: evidence and no audit evidence that it presents a stale token"
        case .unprotectable:
            let lifetime = first.lifetime.map(DurationText.format) ?? "?"
            if policy.lifetimeIsNone, case .projected(_, TokenModel.warnOnlyExpirationSeconds) = first.source {
                return "token extension is off (token-lifetime: none): an old client fails \(lifetime) after start; a restart cannot help"
            }
            return "\(what)'s token lives \(lifetime), not longer than restart-before \(DurationText.format(policy.restartBefore)): a restart cannot help"
        case .ok:
            return first.expiresAt == nil ? "legacy token Secret: never expires" : "earliest token expiry \(expiry)"
        case .outOfScope:
            return ""
        }
    }
}
